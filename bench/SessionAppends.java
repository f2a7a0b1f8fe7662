import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Sustained message appends against a running session-service: N clients (one user and one
 * session each, keep-alive HTTP/1.1) append as fast as the service answers; after a warm-up, the
 * latencies of a measured window give appends/s, p50 and p99. Then every append's
 * message.appended event is looked for on the Kafka topic.
 *
 * <p>Usage: java -cp "local-stack/target/lib/*" bench/SessionAppends.java URL KAFKA
 * TOKENS_FILE WARMUP_S MEASURE_S (one bearer token per line; one client per token).
 */
public class SessionAppends {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    String kafka = args[1];
    List<String> tokens = Files.readAllLines(Path.of(args[2])).stream().filter(t -> !t.isBlank()).toList();
    Duration warmup = Duration.ofSeconds(Long.parseLong(args[3]));
    Duration measure = Duration.ofSeconds(Long.parseLong(args[4]));

    Set<String> appended = ConcurrentHashMap.newKeySet();
    AtomicLong errors = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    List<Thread> clients = new ArrayList<>();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long measureTo = measureFrom + measure.toNanos();
    CountDownLatch ready = new CountDownLatch(tokens.size());
    for (String token : tokens) {
      long[] samples = new long[100_000];
      latencies.add(samples);
      clients.add(
          Thread.ofPlatform()
              .start(() -> runClient(base, token, samples, measureFrom, measureTo, appended, errors, ready)));
    }
    for (Thread client : clients) {
      client.join();
    }
    long lastAppend = System.nanoTime();

    long[] all = latencies.stream().flatMapToLong(s -> Arrays.stream(s).filter(v -> v > 0)).sorted().toArray();
    double seconds = measure.toNanos() / 1e9;
    System.out.printf(
        Locale.ROOT,
        "clients=%d  measured=%ds (after %ds warm-up)  appends=%d  errors=%d%n",
        tokens.size(), measure.toSeconds(), warmup.toSeconds(), all.length, errors.get());
    System.out.printf(
        Locale.ROOT,
        "throughput=%.0f appends/s  p50=%.1f ms  p90=%.1f ms  p99=%.1f ms  max=%.1f ms%n",
        all.length / seconds, pct(all, 50), pct(all, 90), pct(all, 99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);

    long missing = verifyDelivered(kafka, appended, lastAppend);
    if (errors.get() > 0 || missing > 0) {
      System.exit(1);
    }
  }

  private static void runClient(
      URI base, String token, long[] samples, long measureFrom, long measureTo,
      Set<String> appended, AtomicLong errors, CountDownLatch ready) {
    try (Http http = new Http(base, token)) {
      String session = JSON.readTree(http.post("/api/v1/sessions", "{\"title\":\"bench\"}", 201)).get("id").asText();
      String path = "/api/v1/sessions/" + session + "/messages";
      ready.countDown();
      int n = 0;
      int i = 0;
      while (true) {
        long begin = System.nanoTime();
        if (begin >= measureTo) {
          return;
        }
        String body = "{\"role\":\"user\",\"content\":\"benchmark message " + i++ + ": the quick brown fox jumps over the lazy dog\"}";
        try {
          byte[] response = http.post(path, body, 201);
          long took = System.nanoTime() - begin;
          appended.add(messageId(response));
          if (begin >= measureFrom && n < samples.length) {
            samples[n++] = took;
          }
        } catch (IOException e) {
          errors.incrementAndGet();
          http.reconnect();
        }
      }
    } catch (IOException e) {
      errors.incrementAndGet();
      System.err.println("client failed: " + e);
    }
  }

  private static String messageId(byte[] response) throws IOException {
    return JSON.readTree(response).get("id").asText();
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }

  /** Reads the topic from the start until every appended message's event was seen. */
  private static long verifyDelivered(String kafka, Set<String> appended, long lastAppend) {
    Set<String> waiting = new HashSet<>(appended);
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka);
    props.put("group.id", "bench-" + UUID.randomUUID());
    props.put("auto.offset.reset", "earliest");
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    props.put("max.poll.records", "5000");
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    long events = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of("engram.sessions"));
      while (!waiting.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          try {
            JsonNode event = JSON.readTree(record.value());
            if ("message.appended".equals(event.path("type").asText())) {
              events++;
              waiting.remove(event.path("data").path("messageId").asText());
            }
          } catch (IOException e) {
            // not a JSON CloudEvent; not ours
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "kafka: %d of %d appends' message.appended events delivered (%d events read), all in %.1f s after the last append%n",
        appended.size() - waiting.size(), appended.size(), events, (System.nanoTime() - lastAppend) / 1e9);
    return waiting.size();
  }

  /** A minimal keep-alive HTTP/1.1 client: one connection, one request at a time. */
  private static final class Http implements AutoCloseable {
    private final URI base;
    private final String token;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    Http(URI base, String token) throws IOException {
      this.base = base;
      this.token = token;
      connect();
    }

    private void connect() throws IOException {
      socket = new Socket(base.getHost(), base.getPort());
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16384);
    }

    void reconnect() {
      try {
        socket.close();
        connect();
      } catch (IOException e) {
        // the next request fails and counts as an error
      }
    }

    byte[] post(String path, String json, int expected) throws IOException {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      String head =
          "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
              + "\r\nAuthorization: Bearer " + token
              + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: "
              + body.length + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String status = line();
      int code = Integer.parseInt(status.split(" ")[1]);
      int length = -1;
      boolean chunked = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      byte[] response = chunked ? chunkedBody() : in.readNBytes(Math.max(length, 0));
      if (code != expected) {
        throw new IOException("HTTP " + code + ": " + new String(response, StandardCharsets.UTF_8));
      }
      return response;
    }

    private byte[] chunkedBody() throws IOException {
      java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
      for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
        body.write(in.readNBytes(size));
        line();
      }
      line();
      return body.toByteArray();
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
