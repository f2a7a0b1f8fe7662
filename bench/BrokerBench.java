// Client of bench/broker-claims and bench/gateway-overhead: JDK only (java.net.http), run as a
// single-file program against a running gateway (container-broker) with its local-process runtime.
//
//   java bench/BrokerBench.java claims  <private-key.pem> <gateway-url> <warm-target> <cold-claims> <reused-claims>
//   java bench/BrokerBench.java gateway <private-key.pem> <gateway-url> <redis-port> <warm-up> <samples>
//
// claims: with the warm pool full (<warm-target> instances; the bench runs the broker with its
// background refill held back), (1) one user after another claims a warm instance never used
// before and keeps it, (2) with the pool now empty, <cold-claims> users each claim a cold start and
// keep it, (3) everyone releases (the instances return to the warm pool) and <reused-claims> users
// one after another claim a warm instance and release it. Each claim is POST /api/v1/connect,
// timed by the client from sending to the full answer; the broker's own figure (claimMillis) too.
// Claims and releases go over one kept-open socket, answered on the calling thread
// (ENGRAM_BENCH_CLIENT=jdk: java.net.http's HttpClient, as before branch claims3).
//
// gateway: one user claims an instance; then the same calls go directly to the instance and
// through the gateway, alternately (so both see the same machine): GET /api/v1/stm over a
// keep-alive connection, and a ping -> pong round trip over an open /ws/chat WebSocket.
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class BrokerBench {

  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  static PrivateKey key;
  static String gateway;
  static final String RUN = UUID.randomUUID().toString().substring(0, 6);

  public static void main(String[] args) throws Exception {
    key = privateKey(Path.of(args[1]));
    gateway = args[2];
    switch (args[0]) {
      case "claims" -> claims(Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      case "gateway" -> gateway(Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      default -> throw new IllegalArgumentException("claims or gateway");
    }
  }

  // --- claims ---------------------------------------------------------------------------------

  record Claim(long startedAtMillis, long nanos, long serverMillis, boolean warm, boolean reused) {}

  /** Where each claim is written (ENGRAM_BENCH_SAMPLES: start, phase, client ms, broker's ms). */
  static final String SAMPLES = System.getenv("ENGRAM_BENCH_SAMPLES");

  static void claims(int warmTarget, int coldClaims, int reusedClaims) throws Exception {
    awaitWarm(warmTarget, Duration.ofMinutes(10));
    warmUpClient();
    List<String> held = new ArrayList<>();
    List<Claim> fresh = new ArrayList<>();
    for (int i = 0; i < warmTarget; i++) {
      String user = "bench-" + RUN + "-fresh-" + i;
      fresh.add(expect(connect(user), true, user));
      held.add(user);
    }
    List<Claim> cold = new ArrayList<>();
    for (int i = 0; i < coldClaims; i++) {
      String user = "bench-" + RUN + "-cold-" + i;
      cold.add(expect(connect(user), false, user));
      held.add(user);
    }
    for (String user : held) release(user);
    // the pool scales back down to its target: wait until it has (no surplus warm instance left to
    // cull beside a measured claim), then for the culled JVMs to exit
    awaitSettled(warmTarget, Duration.ofMinutes(1));
    Thread.sleep(SETTLE_MILLIS);
    List<Claim> reused = new ArrayList<>();
    for (int i = 0; i < reusedClaims; i++) {
      String user = "bench-" + RUN + "-warm-" + i;
      reused.add(expect(connect(user), true, user));
      release(user);
    }
    if (SAMPLES != null && !SAMPLES.isBlank()) {
      StringBuilder lines = new StringBuilder();
      fresh.forEach(c -> lines.append(sample("fresh", c)));
      cold.forEach(c -> lines.append(sample("cold", c)));
      reused.forEach(c -> lines.append(sample("reused", c)));
      Files.writeString(Path.of(SAMPLES), lines);
    }
    System.out.println();
    System.out.println("| claim (POST /api/v1/connect, client-timed) | samples | p50 (ms) | p99 (ms) | max (ms) | broker's own p50 / max (ms) |");
    System.out.println("|---|---|---|---|---|---|");
    row("warm, instance reused after a release", reused);
    row("warm, first claim of a fresh instance", fresh);
    row("cold start (pool empty)", cold);
    List<Long> warmNanos = new ArrayList<>();
    reused.forEach(c -> warmNanos.add(c.nanos()));
    fresh.forEach(c -> warmNanos.add(c.nanos()));
    List<Long> coldNanos = cold.stream().map(Claim::nanos).toList();
    double coldP50 = p(sorted(coldNanos), 50);
    System.out.println("| all warm claims | " + warmNanos.size() + " | " + fmt(p(sorted(warmNanos), 50)) + " | "
        + fmt(p(sorted(warmNanos), 99)) + " | " + fmt(max(warmNanos)) + " | |");
    System.out.println();
    System.out.printf("cold p50 / warm p50 = %.0fx; cold p50 / warm p99 = %.0fx (all warm claims)%n",
        coldP50 / p(sorted(warmNanos), 50), coldP50 / p(sorted(warmNanos), 99));
  }

  static String sample(String phase, Claim c) {
    return java.time.Instant.ofEpochMilli(c.startedAtMillis()) + " " + phase + " " + fmt(c.nanos() / 1e6) + " "
        + c.serverMillis() + "\n";
  }

  /**
   * This client's own warm-up, so that its JIT does not count in the first claims: the same
   * requests as a claim and a release (HttpClient, a token signed per request, the answer read as
   * a string), sent to an endpoint that changes nothing (GET /api/v1/pool, as an operator).
   */
  static void warmUpClient() throws Exception {
    for (int i = 0; i < CLIENT_WARM_UP; i++) {
      Answer r = claimsClient().call("GET", "/api/v1/pool", token("bench-operator", "operator"));
      group(WARM, r.body());
    }
  }

  /**
   * How claims and releases are sent: "socket" (default) writes each request on one kept-open
   * connection and reads the answer on the calling thread (no other client thread in the timed
   * part); "jdk" uses java.net.http's HttpClient, which reads answers on its selector thread and
   * hands them to the caller (ENGRAM_BENCH_CLIENT=jdk: the client of the runs before branch claims3).
   */
  static final String CLIENT = System.getenv().getOrDefault("ENGRAM_BENCH_CLIENT", "socket");

  record Answer(int status, String body) {}

  interface ClaimsClient {
    Answer call(String method, String path, String token) throws Exception;
  }

  static ClaimsClient claimsClient;

  static ClaimsClient claimsClient() throws Exception {
    if (claimsClient == null) {
      claimsClient = CLIENT.equals("jdk") ? BrokerBench::jdkCall : new SocketClient(URI.create(gateway));
    }
    return claimsClient;
  }

  static Answer jdkCall(String method, String path, String token) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + path))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(4))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /** HTTP/1.1 on one kept-open socket, blocking, on the caller's thread (reconnects when closed). */
  static final class SocketClient implements ClaimsClient {
    final String host;
    final int port;
    Socket socket;
    java.io.BufferedInputStream in;
    OutputStream out;

    SocketClient(URI base) {
      host = base.getHost();
      port = base.getPort();
    }

    @Override
    public Answer call(String method, String path, String token) throws Exception {
      byte[] request = (method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
          + "\r\nAuthorization: Bearer " + token + "\r\nAccept: application/json\r\nContent-Length: 0\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
      if (socket == null || socket.isClosed()) {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
      }
      out.write(request);
      out.flush();
      String status = httpLine(in);
      int code = Integer.parseInt(status.split(" ")[1]);
      int length = 0;
      boolean chunked = false, close = false;
      for (String h; !(h = httpLine(in)).isEmpty(); ) {
        String lower = h.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("content-length:")) length = Integer.parseInt(h.substring(15).trim());
        else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
        else if (lower.startsWith("connection:") && lower.contains("close")) close = true;
      }
      java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
      if (chunked) {
        for (int n; (n = Integer.parseInt(httpLine(in).split(";")[0].trim(), 16)) > 0; ) {
          body.write(in.readNBytes(n));
          httpLine(in);
        }
        while (!httpLine(in).isEmpty()) { }
      } else {
        body.write(in.readNBytes(length));
      }
      if (close) {
        socket.close();
      }
      return new Answer(code, body.toString(StandardCharsets.UTF_8));
    }

    /** One CRLF-terminated line; fails when the gateway closed the connection. */
    static String httpLine(InputStream in) throws Exception {
      StringBuilder s = new StringBuilder();
      for (int c; (c = in.read()) != '\r'; ) {
        if (c < 0) throw new IllegalStateException("the gateway closed the connection");
        s.append((char) c);
      }
      in.read();
      return s.toString();
    }
  }

  static final int CLIENT_WARM_UP = 300;

  static Claim expect(Claim claim, boolean warm, String user) {
    if (claim.warm() != warm || claim.reused()) {
      throw new IllegalStateException(user + ": expected a " + (warm ? "warm" : "cold") + " claim, got " + claim);
    }
    return claim;
  }

  static final Pattern WARM = Pattern.compile("\"warm\"\\s*:\\s*(true|false|\\d+)");
  static final Pattern REUSED = Pattern.compile("\"reused\"\\s*:\\s*(true|false)");
  static final Pattern MILLIS = Pattern.compile("\"claimMillis\"\\s*:\\s*(\\d+)");

  static Claim connect(String user) throws Exception {
    String token = token(user, "user");
    ClaimsClient client = claimsClient();
    long startedAt = System.currentTimeMillis();
    long start = System.nanoTime();
    Answer response = client.call("POST", "/api/v1/connect", token);
    long took = System.nanoTime() - start;
    if (response.status() != 200) {
      throw new IllegalStateException("connect " + user + ": " + response.status() + " " + response.body());
    }
    String body = response.body();
    return new Claim(startedAt, took, Long.parseLong(group(MILLIS, body)), Boolean.parseBoolean(group(WARM, body)),
        Boolean.parseBoolean(group(REUSED, body)));
  }

  static void release(String user) throws Exception {
    Answer response = claimsClient().call("DELETE", "/api/v1/connect", token(user, "user"));
    if (response.status() != 204) {
      throw new IllegalStateException("release " + user + ": " + response.status() + " " + response.body());
    }
  }

  /** Time for culled instances' JVMs to exit after the view no longer shows them. */
  static final long SETTLE_MILLIS = 2000;

  static final Pattern BOUND = Pattern.compile("\"bound\"\\s*:\\s*(\\d+)");
  static final Pattern STARTING = Pattern.compile("\"starting\"\\s*:\\s*(\\d+)");

  /** Waits until the pool holds exactly {@code count} warm instances and nothing else. */
  static void awaitSettled(int count, Duration timeout) throws Exception {
    awaitPool(timeout, "settle at " + count + " warm instances", pool -> count(WARM, pool) == count
        && count(BOUND, pool) == 0 && count(STARTING, pool) == 0);
  }

  /** Waits until the pool has at least {@code count} warm instances. */
  static void awaitWarm(int count, Duration timeout) throws Exception {
    awaitPool(timeout, "reach " + count + " warm instances", pool -> count(WARM, pool) >= count);
  }

  /** Polls GET /api/v1/pool (as an operator) until its body satisfies {@code reached}. */
  static void awaitPool(Duration timeout, String what, java.util.function.Predicate<String> reached)
      throws Exception {
    String operator = token("bench-operator", "operator");
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/pool"))
          .header("Authorization", "Bearer " + operator).build(), HttpResponse.BodyHandlers.ofString());
      last = r.body();
      if (r.statusCode() == 200 && reached.test(last)) return;
      Thread.sleep(250);
    }
    throw new IllegalStateException("the pool did not " + what + ": " + last);
  }

  static int count(Pattern field, String pool) {
    return Integer.parseInt(group(field, pool));
  }

  static void row(String name, List<Claim> claims) {
    List<Long> nanos = sorted(claims.stream().map(Claim::nanos).toList());
    List<Long> server = sorted(claims.stream().map(c -> c.serverMillis() * 1_000_000).toList());
    System.out.println("| " + name + " | " + claims.size() + " | " + fmt(p(nanos, 50)) + " | " + fmt(p(nanos, 99))
        + " | " + fmt(max(nanos)) + " | " + fmt(p(server, 50)) + " / " + fmt(max(server)) + " |");
  }

  // --- gateway overhead -----------------------------------------------------------------------

  static final Pattern ENDPOINT = Pattern.compile("\"endpoint\"\\s*:\\s*\"([^\"]+)\"");

  static void gateway(int redisPort, int warmUp, int samples) throws Exception {
    awaitWarm(1, Duration.ofMinutes(10));
    String user = "bench-" + RUN + "-gateway";
    String token = token(user, "user");
    connect(user);
    String assignment = redisGet(redisPort, "engram:broker:assignment:" + user);
    String direct = group(ENDPOINT, assignment);
    String proxied = gateway;
    System.out.println("instance " + direct + ", gateway " + proxied);

    HttpRequest directStm = stm(direct, token);
    HttpRequest proxiedStm = stm(proxied, token);
    for (int i = 0; i < warmUp; i++) {
      call(directStm);
      call(proxiedStm);
    }
    List<Long> restDirect = new ArrayList<>(), restProxied = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      if (i % 2 == 0) {
        restDirect.add(call(directStm));
        restProxied.add(call(proxiedStm));
      } else {
        restProxied.add(call(proxiedStm));
        restDirect.add(call(directStm));
      }
    }

    Pinger wsDirect = new Pinger(direct.replace("http://", "ws://") + "/ws/chat", token);
    Pinger wsProxied = new Pinger(proxied.replace("http://", "ws://") + "/ws/chat", token);
    for (int i = 0; i < warmUp; i++) {
      wsDirect.roundTrip();
      wsProxied.roundTrip();
    }
    List<Long> wsDirectNanos = new ArrayList<>(), wsProxiedNanos = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      if (i % 2 == 0) {
        wsDirectNanos.add(wsDirect.roundTrip());
        wsProxiedNanos.add(wsProxied.roundTrip());
      } else {
        wsProxiedNanos.add(wsProxied.roundTrip());
        wsDirectNanos.add(wsDirect.roundTrip());
      }
    }
    wsDirect.close();
    wsProxied.close();
    release(user);

    System.out.println();
    System.out.println("| call (" + samples + " each, alternating) | direct p50 | via gateway p50 | added p50 | direct p99 | via gateway p99 | added p99 |");
    System.out.println("|---|---|---|---|---|---|---|");
    overhead("REST GET /api/v1/stm (keep-alive)", restDirect, restProxied);
    overhead("WebSocket ping -> pong on /ws/chat", wsDirectNanos, wsProxiedNanos);
  }

  static void overhead(String name, List<Long> direct, List<Long> proxied) {
    List<Long> d = sorted(direct), g = sorted(proxied);
    System.out.println("| " + name + " | " + fmt(p(d, 50)) + " | " + fmt(p(g, 50)) + " | " + fmt(p(g, 50) - p(d, 50))
        + " | " + fmt(p(d, 99)) + " | " + fmt(p(g, 99)) + " | " + fmt(p(g, 99) - p(d, 99)) + " |");
  }

  static HttpRequest stm(String base, String token) {
    return HttpRequest.newBuilder(URI.create(base + "/api/v1/stm"))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
  }

  static long call(HttpRequest request) throws Exception {
    long start = System.nanoTime();
    HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    long took = System.nanoTime() - start;
    if (response.statusCode() != 200) {
      throw new IllegalStateException(request.uri() + ": " + response.statusCode() + " " + new String(response.body()));
    }
    return took;
  }

  /** A /ws/chat connection that times ping -> pong round trips. */
  static final class Pinger implements WebSocket.Listener {
    final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    final StringBuilder partial = new StringBuilder();
    final WebSocket socket;

    Pinger(String url, String token) throws Exception {
      socket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
          .buildAsync(URI.create(url), this).get(30, TimeUnit.SECONDS);
      next("hello");
    }

    long roundTrip() throws Exception {
      long start = System.nanoTime();
      socket.sendText("{\"type\":\"ping\"}", true).join();
      next("pong");
      return System.nanoTime() - start;
    }

    void next(String type) throws Exception {
      while (true) {
        String frame = frames.poll(30, TimeUnit.SECONDS);
        if (frame == null) throw new IllegalStateException("no " + type + " frame within 30 s");
        if (frame.contains("\"type\":\"" + type + "\"")) return;
      }
    }

    void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  /** GET of one Redis key (RESP over a socket: the JDK has no Redis client). */
  static String redisGet(int port, String key) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      byte[] k = key.getBytes(StandardCharsets.UTF_8);
      out.write(("*2\r\n$3\r\nGET\r\n$" + k.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(k);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String header = line(in);
      if (!header.startsWith("$") || header.equals("$-1")) throw new IllegalStateException("no " + key + ": " + header);
      byte[] value = in.readNBytes(Integer.parseInt(header.substring(1)));
      return new String(value, StandardCharsets.UTF_8);
    }
  }

  static String line(InputStream in) throws Exception {
    StringBuilder s = new StringBuilder();
    for (int c; (c = in.read()) != '\r'; ) s.append((char) c);
    in.read();
    return s.toString();
  }

  // --- helpers --------------------------------------------------------------------------------

  static String group(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) throw new IllegalStateException(pattern + " not in " + text);
    return m.group(1);
  }

  static List<Long> sorted(List<Long> values) {
    List<Long> copy = new ArrayList<>(values);
    Collections.sort(copy);
    return copy;
  }

  /** The nearest-rank percentile, in milliseconds. */
  static double p(List<Long> sorted, int pct) {
    if (sorted.isEmpty()) return Double.NaN;
    int i = (int) Math.ceil(pct / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, i)) / 1e6;
  }

  static double max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6;
  }

  static String fmt(double millis) {
    return millis >= 100 ? String.format("%.0f", millis) : String.format("%.2f", millis);
  }

  static String token(String subject, String group) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = b64.encodeToString(("{\"iss\":\"engram\",\"sub\":\"" + subject + "\",\"upn\":\"" + subject
        + "\",\"groups\":[\"" + group + "\"],\"iat\":" + now + ",\"exp\":" + (now + 7200) + "}").getBytes(StandardCharsets.UTF_8));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + b64.encodeToString(rsa.sign());
  }

  static PrivateKey privateKey(Path pem) throws Exception {
    String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
  }
}
