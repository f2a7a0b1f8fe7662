// Load client of bench/orchestrator-turns: WebSocket users against running orchestrator instances.
// JDK only (java.net.http), run as a single-file program: java bench/OrchestratorTurns.java
//
// args: <private-key.pem> <users> <connections-per-user> <warmup-turns> <measured-turns> <think-ms> <port>...
// Each user is bound (as the broker) to its own instance, once the instance's start-up warm-up is
// over (its status says warmedUp), as a warm pool's instances are; each of its connections runs its own
// session, sends a message, waits for done, thinks, repeats. Measured per turn: user_message sent
// -> first token frame of that turn, and -> done. The measured phase starts when every connection
// has done its warm-up turns.
//
// Environment: THINK_JITTER (0..1, default 0): each think time is drawn uniformly from
// think-ms x [1 - jitter, 1 + jitter], so that connections do not stay in step. STAGGER (1 or 0,
// default 1 when think-ms > 0): the measured phase starts when the last connection has done its
// warm-up, which brings every connection into step; each then waits a time drawn uniformly from
// [0, think-ms] before its first measured turn, so that the measured turns arrive as independent
// users' turns do, not as one burst of every connection at once (STAGGER=0: the burst). WATCH
// ("name=pid[+pid...],..."): processes whose CPU time (user + system, /proc) over the measured
// phase is printed per process and per measured turn, with the client's own. The instances' own
// timings of the stages before the first token (engram_turn_stage_seconds and
// engram_turn_first_token_seconds from /q/metrics, summed over the instances, measured phase only)
// are printed as the upper bounds of the histogram buckets that hold p50, p90 and p99.
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class OrchestratorTurns {

  static final String[] MESSAGES = {
    "I am planning a trip to Kyoto in April and want to see the temples",
    "My sister Clara lives in Lisbon and works as an architect",
    "Remember that my passport expires in March",
    "What did I say about the trip last week?",
    "I prefer green tea in the morning and coffee after lunch",
    "How do I bake sourdough bread?",
    "I'm a bit worried about the deadline on Friday",
    "Can you remind me what Clara does for a living?",
  };
  static final Pattern FIELD = Pattern.compile("\"(type|clientMessageId|sessionId)\":\"([^\"]*)\"");

  static PrivateKey key;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    key = privateKey(Path.of(args[0]));
    int users = Integer.parseInt(args[1]);
    int connections = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    int measured = Integer.parseInt(args[4]);
    long think = Long.parseLong(args[5]);
    List<Integer> ports = new ArrayList<>();
    for (int i = 6; i < args.length; i++) ports.add(Integer.parseInt(args[i]));
    if (ports.size() < users) throw new IllegalArgumentException("one instance per user");

    List<Long> first = Collections.synchronizedList(new ArrayList<>());
    List<Long> done = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    AtomicLong lost = new AtomicLong();
    String run = UUID.randomUUID().toString().substring(0, 6);
    Map<String, List<Long>> watched = watched(System.getenv().getOrDefault("WATCH", ""));
    Map<String, Long> cpuAtStart = new LinkedHashMap<>();
    Map<String, Map<Double, Double>> stagesAtStart = new LinkedHashMap<>();
    AtomicLong measuredFrom = new AtomicLong();
    // every connection arrives when its warm-up is done (or it failed); the last one starts the clock
    Phaser warmedUp =
        new Phaser(users * connections) {
          @Override
          protected boolean onAdvance(int phase, int parties) {
            watched.forEach((name, pids) -> cpuAtStart.put(name, cpuMillis(pids)));
            stagesAtStart.putAll(stages(ports.subList(0, users)));
            measuredFrom.set(System.nanoTime());
            return true;
          }
        };
    for (int u = 0; u < users; u++) {
      String user = "bench-" + run + "-" + u;
      int port = ports.get(u);
      bind(port, user);
      for (int c = 0; c < connections; c++) {
        int offset = u * connections + c;
        threads.add(Thread.ofPlatform().start(() -> {
          Client client = new Client(port, user, offset, warmedUp);
          try {
            client.run(warmup, measured, think, first, done);
          } catch (Exception e) {
            lost.incrementAndGet();
            System.err.println("client failed: " + e);
          } finally {
            if (!client.arrived) warmedUp.arriveAndDeregister();
          }
        }));
      }
    }
    for (Thread t : threads) t.join();
    long end = System.nanoTime();
    Map<String, Long> cpuAtEnd = new LinkedHashMap<>();
    watched.forEach((name, pids) -> cpuAtEnd.put(name, cpuMillis(pids)));
    double seconds = (end - measuredFrom.get()) / 1e9;
    System.out.printf("turns measured: %d in %.1f s: %.1f turns/s; connections lost: %d of %d%n",
        done.size(), seconds, done.size() / seconds, lost.get(), users * connections);
    System.out.println();
    System.out.println("| latency (ms) | p50 | p90 | p99 | max |");
    System.out.println("|---|---|---|---|---|");
    System.out.printf("| to first token | %s |%n", stats(first));
    System.out.printf("| to done | %s |%n", stats(done));
    System.out.println();
    System.out.println(verdict(first, lost.get()));
    if (!watched.isEmpty() && !done.isEmpty()) {
      System.out.println();
      System.out.println("| process | CPU in the measured phase (s) | CPU per measured turn (ms) |");
      System.out.println("|---|---|---|");
      long total = 0;
      for (String name : watched.keySet()) {
        long used = cpuAtEnd.get(name) - cpuAtStart.get(name);
        total += name.equals("client") ? 0 : used;
        System.out.printf("| %s | %.1f | %.1f |%n", name, used / 1e3, (double) used / done.size());
      }
      System.out.printf("| all but the client | %.1f | %.1f |%n", total / 1e3, (double) total / done.size());
    }
    printStages(stagesAtStart, stages(ports.subList(0, users)));
    for (int u = 0; u < users; u++) release(ports.get(u));
  }

  static final Pattern BUCKET = Pattern.compile(
      "^engram_turn_(stage|first_token)_seconds_bucket\\{(.*)\\} ([0-9.eE+]+)$");
  static final Pattern LABEL = Pattern.compile("(stage|le)=\"([^\"]*)\"");

  /** Cumulative bucket counts per stage ("first token" for the first-token timer), all instances. */
  static Map<String, Map<Double, Double>> stages(List<Integer> ports) {
    Map<String, Map<Double, Double>> stages = new java.util.TreeMap<>();
    for (int port : ports) {
      try {
        String body = HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
          Matcher m = BUCKET.matcher(line);
          if (!m.matches()) continue;
          String stage = "first token";
          double le = Double.NaN;
          Matcher l = LABEL.matcher(m.group(2));
          while (l.find()) {
            if (l.group(1).equals("stage")) stage = l.group(2);
            else le = l.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(l.group(2));
          }
          stages.computeIfAbsent(stage, s -> new java.util.TreeMap<>())
              .merge(le, Double.parseDouble(m.group(3)), Double::sum);
        }
      } catch (Exception e) {
        System.err.println("metrics of " + port + ": " + e);
      }
    }
    return stages;
  }

  static void printStages(Map<String, Map<Double, Double>> before, Map<String, Map<Double, Double>> after) {
    if (after.isEmpty()) return;
    System.out.println();
    System.out.println("| stage (instances' histograms, ms, bucket bound) | count | p50 | p90 | p99 |");
    System.out.println("|---|---|---|---|---|");
    after.forEach((stage, buckets) -> {
      Map<Double, Double> start = before.getOrDefault(stage, Map.of());
      List<double[]> delta = new ArrayList<>();
      buckets.forEach((le, count) -> delta.add(new double[] {le, count - start.getOrDefault(le, 0.0)}));
      double total = delta.isEmpty() ? 0 : delta.get(delta.size() - 1)[1];
      if (total <= 0) return;
      StringBuilder row = new StringBuilder("| " + stage + " | " + Math.round(total));
      for (double q : new double[] {0.5, 0.9, 0.99}) {
        double bound = Double.POSITIVE_INFINITY;
        for (double[] b : delta) {
          if (b[1] >= q * total) { bound = b[0]; break; }
        }
        row.append(String.format(" | %s", Double.isInfinite(bound) ? "inf" : String.format("%.1f", bound * 1e3)));
      }
      System.out.println(row.append(" |"));
    });
  }

  /** "name=pid[+pid...],..." and the client itself. */
  static Map<String, List<Long>> watched(String spec) {
    Map<String, List<Long>> watched = new LinkedHashMap<>();
    for (String entry : spec.split(",")) {
      String[] parts = entry.trim().split("=", 2);
      if (parts.length == 2 && !parts[1].isBlank()) {
        List<Long> pids = new ArrayList<>();
        for (String pid : parts[1].split("\\+")) pids.add(Long.parseLong(pid.trim()));
        watched.put(parts[0], pids);
      }
    }
    if (!watched.isEmpty()) watched.put("client", List.of(ProcessHandle.current().pid()));
    return watched;
  }

  /** User + system CPU time of the processes, in ms (a process that has gone counts 0). */
  static long cpuMillis(List<Long> pids) {
    long ticks = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      } catch (Exception e) {
        // gone
      }
    }
    return ticks * 10; // USER_HZ = 100
  }

  static String stats(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    if (sorted.isEmpty()) return "no samples";
    return String.format("%.1f | %.1f | %.1f | %.1f", p(sorted, 50), p(sorted, 90), p(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
  }

  /** Issue 4's target: p99 from user_message to the first token under 50 ms, no connection lost. */
  static String verdict(List<Long> first, long lost) {
    if (first.isEmpty()) return "target (p99 to first token < 50 ms): NOT MET, no turn measured";
    List<Long> sorted = new ArrayList<>(first);
    Collections.sort(sorted);
    double p99 = p(sorted, 99);
    boolean met = p99 < 50 && lost == 0;
    return String.format(
        "target (p99 to first token < 50 ms, no connection lost): %s, p99 %.1f ms over %d turns, %d lost",
        met ? "met" : "NOT MET", p99, sorted.size(), lost);
  }

  static double p(List<Long> sorted, int pct) {
    int i = (int) Math.ceil(pct / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, i)) / 1e6;
  }

  static final class Client implements WebSocket.Listener {
    final int port;
    final String user;
    final int offset;
    final StringBuilder partial = new StringBuilder();
    final ConcurrentHashMap<String, CompletableFuture<Long>> firstToken = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, CompletableFuture<String>> finished = new ConcurrentHashMap<>();
    WebSocket socket;

    final Phaser warmedUp;
    boolean arrived;

    Client(int port, String user, int offset, Phaser warmedUp) {
      this.port = port;
      this.user = user;
      this.offset = offset;
      this.warmedUp = warmedUp;
    }

    void run(int warmup, int measured, long think, List<Long> first, List<Long> done) throws Exception {
      socket = HTTP.newWebSocketBuilder()
          .header("Authorization", "Bearer " + token(user, "user"))
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/chat"), this)
          .get(10, TimeUnit.SECONDS);
      String session = null;
      double jitter = Double.parseDouble(System.getenv().getOrDefault("THINK_JITTER", "0"));
      for (int i = 0; i < warmup + measured; i++) {
        if (i == warmup) {
          arrived = true;
          warmedUp.arriveAndAwaitAdvance();
          if (think > 0 && !"0".equals(System.getenv().getOrDefault("STAGGER", "1"))) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(think + 1));
          }
        }
        String id = UUID.randomUUID().toString();
        firstToken.put(id, new CompletableFuture<>());
        finished.put(id, new CompletableFuture<>());
        String content = MESSAGES[(offset + i) % MESSAGES.length];
        String frame = "{\"type\":\"user_message\",\"clientMessageId\":\"" + id + "\",\"content\":\"" + content + "\""
            + (session == null ? "" : ",\"sessionId\":\"" + session + "\"") + "}";
        long sent = System.nanoTime();
        socket.sendText(frame, true).join();
        long t1 = firstToken.get(id).get(60, TimeUnit.SECONDS);
        session = finished.get(id).get(60, TimeUnit.SECONDS);
        long t2 = System.nanoTime();
        if (i >= warmup) {
          first.add(t1 - sent);
          done.add(t2 - sent);
        }
        firstToken.remove(id);
        finished.remove(id);
        if (think > 0) {
          Thread.sleep(Math.round(think * (1 + jitter * ThreadLocalRandom.current().nextDouble(-1, 1))));
        }
      }
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        handle(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    void handle(String frame) {
      long now = System.nanoTime();
      String type = null, cid = null, sid = null;
      Matcher m = FIELD.matcher(frame);
      while (m.find()) {
        switch (m.group(1)) {
          case "type" -> type = type == null ? m.group(2) : type;
          case "clientMessageId" -> cid = m.group(2);
          case "sessionId" -> sid = sid == null ? m.group(2) : sid;
        }
      }
      if (cid == null) return;
      if ("token".equals(type)) {
        CompletableFuture<Long> f = firstToken.get(cid);
        if (f != null) f.complete(now);
      } else if ("done".equals(type)) {
        CompletableFuture<String> f = finished.get(cid);
        if (f != null) f.complete(sid);
      } else if ("error".equals(type)) {
        CompletableFuture<String> f = finished.get(cid);
        if (f != null) f.completeExceptionally(new IllegalStateException(frame));
        CompletableFuture<Long> t = firstToken.get(cid);
        if (t != null) t.completeExceptionally(new IllegalStateException(frame));
      }
    }
  }

  static void bind(int port, String user) throws Exception {
    awaitWarmUp(port);
    HttpResponse<String> r = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/internal/v1/release"))
            .header("Authorization", "Bearer " + token("bench-broker", "engram-broker"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    r = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/internal/v1/bind"))
            .header("Authorization", "Bearer " + token("bench-broker", "engram-broker"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + user + "\",\"claimId\":\"bench\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("bind " + port + ": " + r.statusCode() + " " + r.body());
  }

  /**
   * Waits (up to a minute) until the instance's start-up warm-up is over, as a warm pool hands out
   * instances that have been up a while: a bind stops the warm-up where it is. An instance whose
   * status does not say (a build before the field) is taken as it is.
   */
  static void awaitWarmUp(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/internal/v1/status"))
              .header("Authorization", "Bearer " + token("bench-broker", "engram-broker")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200 || !r.body().contains("\"warmedUp\":false")) return;
      Thread.sleep(100);
    }
    System.err.println("instance on " + port + " still warming up after a minute; binding it anyway");
  }

  static void release(int port) throws Exception {
    HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/internal/v1/release"))
            .header("Authorization", "Bearer " + token("bench-broker", "engram-broker"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
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
