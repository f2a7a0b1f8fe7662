import java.net.URI;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.*;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.*;

// Client of bench/instance-bind-cpu: JDK only, run as a single-file program.
//
//   java bench/BindCpu.java <private.pem> <port> <pid> <priming rounds> <binds>
//
// Primes one orchestrator instance the way container-broker's local-process runtime does (rounds x
// a status read and a refused bind, then rounds x a bind and release of a user with no state), then
// binds and releases <binds> users, printing for each bind its wall time and the CPU its request
// threads (event loops, executor) and all its threads used meanwhile, from /proc/<pid>/task/*/
// schedstat (nanoseconds): CPU time hardly depends on what else the machine runs.
class BindCpu {
  static PrivateKey key;
  static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static String base, token;
  static long pid;

  public static void main(String[] a) throws Exception {
    key = privateKey(Path.of(a[0]));
    base = "http://127.0.0.1:" + a[1];
    pid = Long.parseLong(a[2]);
    int rounds = Integer.parseInt(a[3]);
    int claims = Integer.parseInt(a[4]);
    token = token("container-broker", "engram-broker");
    long c0 = cpu(true), t0 = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      call("GET", "/internal/v1/status", null);
      call("POST", "/internal/v1/bind", "{}");
    }
    for (int i = 0; i < rounds; i++) {
      call("POST", "/internal/v1/bind", "{\"userId\":\".engram-prime\",\"claimId\":\"p" + i + "\"}");
      call("POST", "/internal/v1/release", "{}");
    }
    System.out.printf("priming rounds=%d wall=%.0f ms reqcpu=%.1f ms%n", rounds, (System.nanoTime() - t0) / 1e6, (cpu(true) - c0) / 1e6);
    for (int i = 0; i < claims; i++) {
      long r0 = cpu(true), all0 = cpu(false), w0 = System.nanoTime();
      int s = call("POST", "/internal/v1/bind", "{\"userId\":\"user-" + i + "\",\"claimId\":\"c" + i + "\"}");
      long w1 = System.nanoTime(), r1 = cpu(true), all1 = cpu(false);
      System.out.printf("claim %d status=%d wall=%.2f ms reqcpu=%.2f ms allcpu=%.2f ms%n", i + 1, s, (w1 - w0) / 1e6, (r1 - r0) / 1e6, (all1 - all0) / 1e6);
      call("POST", "/internal/v1/release", "{}");
    }
  }

  static long cpu(boolean requestThreads) throws Exception {
    long sum = 0;
    try (DirectoryStream<Path> ts = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : ts) {
        try {
          String comm = Files.readString(t.resolve("comm")).trim();
          if (requestThreads && !(comm.startsWith("vert.x-eventloo") || comm.startsWith("executor-thread"))) continue;
          sum += Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
        } catch (Exception e) { }
      }
    }
    return sum;
  }

  static int call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).header("Accept", "application/json");
    if (body != null) b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    else b.method(method, HttpRequest.BodyPublishers.noBody());
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  static String token(String subject, String group) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = b64.encodeToString(("{\"iss\":\"engram\",\"sub\":\"" + subject + "\",\"upn\":\"" + subject + "\",\"groups\":[\"" + group + "\"],\"iat\":" + now + ",\"exp\":" + (now + 7200) + "}").getBytes(StandardCharsets.UTF_8));
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
