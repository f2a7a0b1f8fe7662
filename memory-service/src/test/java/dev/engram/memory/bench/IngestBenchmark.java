package dev.engram.memory.bench;

import static org.awaitility.Awaitility.await;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.MessageAppended;
import dev.engram.events.MessageRole;
import dev.engram.events.Sources;
import dev.engram.memory.embedding.Embedder;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Ingest throughput: messages per second from Kafka ({@code message.appended}) to stored and
 * searchable, against the embedding model alone on the same machine in the same run: on the
 * messages' own texts, and on the texts ingest actually embeds (each message with its context and
 * speaker, plus extracted facts). Three rounds each; medians.
 *
 * <p>Run: {@code ./engram bench memory-ingest [messages] [path/to/locomo10.json]}. Before the
 * rounds the pipeline ingests {@code -Dingest.warmup} messages (default: one round) once.
 */
@QuarkusTest
class IngestBenchmark {

  @Inject Embedder embedder;

  @Test
  void run() throws Exception {
    int n = Integer.getInteger("ingest.messages", 2000);
    List<Locomo.Turn> turns = new ArrayList<>();
    for (Locomo.Sample s : Locomo.load(Locomo.defaultPath())) {
      turns.addAll(s.turns());
    }
    List<Locomo.Turn> corpus = turns.subList(0, Math.min(n, turns.size()));
    List<String> plain = corpus.stream().map(Locomo.Turn::text).toList();
    List<String> asIngested = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      Locomo.Turn t = corpus.get(i);
      String self = t.speaker() + ": " + t.text();
      boolean hasPrevious = i > 0 && corpus.get(i - 1).session() == t.session() && t.sequence() > 1;
      asIngested.add(
          hasPrevious
              ? corpus.get(i - 1).speaker() + ": " + corpus.get(i - 1).text() + "\n" + self
              : self);
    }
    embedder.embedBlocking(plain.subList(0, 100)); // warm-up of the model (native code)
    // and of the pipeline, by default one full round: the JVM still compiled the pipeline's code
    // (Jackson, the Kafka and PostgreSQL clients, Mutiny, ingest itself) through the first two
    // rounds after a warm-up of 100 messages (2.3-5.8 s of C1/C2 CPU per 1000 messages, against
    // 12-14 s of model CPU), so the medians measured a cold JVM rather than the running service
    int warmUp = Integer.getInteger("ingest.warmup", corpus.size());
    kafkaToSearchable(corpus.subList(0, Math.min(warmUp, corpus.size())));

    List<Double> rawPlain = new ArrayList<>();
    List<Double> rawIngested = new ArrayList<>();
    List<Double> pipeline = new ArrayList<>();
    List<Long> embedded = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      phase("plain " + round);
      rawPlain.add(throughput(plain));
      phase("ingested " + round);
      rawIngested.add(throughput(asIngested));
      phase("pipeline " + round);
      pipeline.add(kafkaToSearchable(corpus));
      phase("end " + round);
    }
    double p = median(rawPlain);
    double q = median(rawIngested);
    double r = median(pipeline);
    String out =
        """
        Ingest throughput, %d LoCoMo messages per round, 3 rounds, medians
        | measure | messages/s |
        |---|---|
        | embedding model alone, message texts | %.1f |
        | embedding model alone, texts as ingest embeds them (context + speaker) | %.1f |
        | Kafka -> stored and searchable (memory-service) | %.1f |
        | ratio to the model on the same texts | %.0f%% |
        | ratio to the model on bare message texts | %.0f%% |
        rounds: model/plain %s, model/as-ingested %s, pipeline %s
        """
            .formatted(n, p, q, r, 100 * r / q, 100 * r / p, rawPlain, rawIngested, pipeline);
    System.out.println(out);
    Files.createDirectories(Path.of("target/bench"));
    Files.writeString(Path.of("target/bench/ingest.md"), out);
  }

  /** Marks the start of a phase (for an outside profiler), when -Dingest.phases names a file. */
  private static void phase(String name) throws java.io.IOException {
    String file = System.getProperty("ingest.phases");
    if (file != null) {
      Files.writeString(
          Path.of(file),
          System.currentTimeMillis() / 1000.0 + " " + name + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }

  private double throughput(List<String> texts) {
    long start = System.nanoTime();
    embedder.embedBlocking(texts);
    return texts.size() / ((System.nanoTime() - start) / 1e9);
  }

  private double kafkaToSearchable(List<Locomo.Turn> corpus) throws Exception {
    String user = "ingest-bench-" + UUID.randomUUID();
    EventCodec codec = new EventCodec();
    List<byte[]> records = new ArrayList<>();
    UUID session = UUID.randomUUID();
    int lastSession = -1;
    for (Locomo.Turn t : corpus) {
      if (t.session() != lastSession) {
        session = UUID.randomUUID();
        lastSession = t.session();
      }
      records.add(
          codec.encode(
              CloudEvent.of(
                  Sources.SESSION_SERVICE,
                  user,
                  new MessageAppended(
                      session,
                      UUID.randomUUID(),
                      t.sequence(),
                      MessageRole.USER,
                      t.text(),
                      Map.of("speaker", t.speaker()),
                      Instant.now()))));
    }
    Properties props = new Properties();
    props.put("bootstrap.servers", EmbeddedKafka.shared().bootstrapServers());
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    props.put("linger.ms", "5");
    // one connection and statement for all the polls: a new connection per poll (a PostgreSQL
    // backend started, a JDBC handshake) cost the bench ~0.4 s of CPU per 1000 messages, taken
    // from the two cores the pipeline it measures runs on
    try (Connection db = TestDatabase.connect("engram_memory_test");
        PreparedStatement countQuery =
            db.prepareStatement(
                "select count(*) from memory where user_id = ? and type = 'EPISODIC'")) {
      countQuery.setString(1, user);
      long start = System.nanoTime();
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
        for (byte[] record : records) {
          producer.send(new ProducerRecord<>("engram.sessions", user, record));
        }
        producer.flush();
      }
      await()
          .atMost(Duration.ofMinutes(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> count(countQuery) == corpus.size());
      return corpus.size() / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static long count(PreparedStatement count) throws SQLException {
    try (ResultSet rows = count.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }
}
