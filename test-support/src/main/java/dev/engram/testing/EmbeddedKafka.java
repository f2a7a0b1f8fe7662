package dev.engram.testing;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.EventData;
import dev.engram.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

/**
 * A real Apache Kafka broker in KRaft mode (one combined broker + controller node) running inside
 * the test JVM, started from the Maven Central jars. One instance is shared by every test of a JVM.
 *
 * <p>The broker can be stopped and started again on the same port, so tests can prove that nothing
 * accepted during an outage is lost.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** Partitions of the Engram topics; more than one, so that per-key ordering is exercised. */
  public static final int PARTITIONS = 3;

  private static EmbeddedKafka shared;

  private final KafkaClusterTestKit cluster;
  private final String bootstrapServers;
  private final SaslListener sasl;
  private final EventCodec codec = new EventCodec();

  private EmbeddedKafka(KafkaClusterTestKit cluster, SaslListener sasl) {
    this.cluster = cluster;
    this.bootstrapServers = cluster.bootstrapServers();
    this.sasl = sasl;
  }

  /** The JVM's broker, started on first use and stopped when the JVM exits. */
  public static synchronized EmbeddedKafka shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-kafka-stop"));
    }
    return shared;
  }

  /** Starts a new single-node cluster and creates the Engram topics. */
  public static EmbeddedKafka start() {
    return start(null);
  }

  /**
   * Starts a new single-node cluster with a second listener that wants SASL (see {@link
   * SaslListener}), creates the Engram topics and the listener's SCRAM credentials. The caller
   * closes it. The SASL listener's port is chosen at start ({@link #saslBootstrapServers()}), and
   * changes if the broker is restarted.
   */
  public static EmbeddedKafka start(SaslListener sasl) {
    keepTheJvm();
    try {
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .build();
      KafkaClusterTestKit.Builder builder =
          new KafkaClusterTestKit.Builder(nodes)
              .setConfigProp("auto.create.topics.enable", "true")
              .setConfigProp("num.partitions", String.valueOf(PARTITIONS))
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("offsets.topic.num.partitions", "3")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("share.coordinator.state.topic.replication.factor", "1");
      if (sasl != null) {
        sasl.addTo(builder, nodes);
      }
      KafkaClusterTestKit cluster = builder.build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      EmbeddedKafka kafka = new EmbeddedKafka(cluster, sasl);
      kafka.createTopics(Topics.ALL);
      if (sasl != null) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers))) {
          sasl.createScramCredentials(admin);
        }
      }
      return kafka;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start the embedded Kafka broker", e);
    }
  }

  /**
   * {@code host:port} of the broker; stable across {@link #stopBroker()}/{@link #startBroker()}.
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The SASL listener this broker was started with ({@link #start(SaslListener)}). */
  public SaslListener sasl() {
    if (sasl == null) {
      throw new IllegalStateException("this broker has no SASL listener");
    }
    return sasl;
  }

  /** {@code host:port} of the SASL listener (see {@link #start(SaslListener)}). */
  public String saslBootstrapServers() {
    sasl();
    ListenerName name = ListenerName.normalised(SaslListener.NAME);
    BrokerServer broker = cluster.brokers().values().iterator().next();
    return "localhost:" + broker.boundPort(name);
  }

  /** Creates topics (idempotent) with {@link #PARTITIONS} partitions. */
  public void createTopics(List<String> topics) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      for (String topic : topics) {
        try {
          admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create topics " + topics, e);
    }
  }

  /** Stops the broker (the controller keeps running); clients see a Kafka outage. */
  public void stopBroker() {
    for (BrokerServer broker : cluster.brokers().values()) {
      broker.shutdown();
      broker.awaitShutdown();
    }
  }

  /** Starts the broker again on the same port after {@link #stopBroker()}. */
  public void startBroker() {
    try {
      for (BrokerServer broker : cluster.brokers().values()) {
        broker.startup();
      }
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot restart the embedded Kafka broker", e);
    }
  }

  /**
   * Publishes a CloudEvent keyed and labelled like the services publish it (the {@code
   * content-type: application/cloudevents+json} header included), and waits for the broker's ack.
   */
  public void publish(CloudEvent<?> event) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(event.topic(), event.key(), codec.encode(event));
      record
          .headers()
          .add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot publish " + event.type(), e);
    }
  }

  /**
   * Reads a topic from the beginning until {@code done} holds for the events read so far (or the
   * timeout passes), and returns every decoded event of the topic in partition order.
   */
  public List<ConsumedEvent> readUntil(
      String topic, Predicate<List<ConsumedEvent>> done, Duration timeout) {
    List<ConsumedEvent> events = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && !done.test(events)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          events.add(
              new ConsumedEvent(
                  record.key(),
                  record.partition(),
                  record.offset(),
                  record.headers(),
                  codec.decode(record.value())));
        }
      }
    }
    return events;
  }

  /** Every event of {@code topic} for one user (by record key), waiting until {@code done}. */
  public List<CloudEvent<EventData>> eventsForUser(
      String topic, String userId, Predicate<List<CloudEvent<EventData>>> done, Duration timeout) {
    List<ConsumedEvent> all = readUntil(topic, read -> done.test(ofUser(read, userId)), timeout);
    return ofUser(all, userId);
  }

  private static List<CloudEvent<EventData>> ofUser(List<ConsumedEvent> events, String userId) {
    return events.stream().filter(e -> userId.equals(e.key())).map(ConsumedEvent::event).toList();
  }

  /** A consumer in a fresh group reading from the earliest offset. */
  public KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(props);
  }

  /**
   * Kafka's server code ends the process on a fatal fault ({@code Exit.exit}, {@code Exit.halt});
   * in a test JVM that would end the test run with a non-zero exit code and no report, typically
   * while the broker shuts down at the JVM's exit. As Kafka's own tests do, the procedures are
   * replaced: the fault is printed instead, and the tests that depend on the broker fail on their
   * own assertions.
   */
  private static void keepTheJvm() {
    Exit.setExitProcedure(
        (code, message) ->
            System.err.println("Embedded Kafka asked to exit with " + code + ": " + message));
    Exit.setHaltProcedure(
        (code, message) ->
            System.err.println("Embedded Kafka asked to halt with " + code + ": " + message));
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      // The JVM is exiting; nothing to recover.
    }
  }

  /** One record read back from a topic. */
  public record ConsumedEvent(
      String key,
      int partition,
      long offset,
      org.apache.kafka.common.header.Headers headers,
      CloudEvent<EventData> event) {}
}
