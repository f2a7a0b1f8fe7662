package dev.engram.orchestrator.messaging;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.EventData;
import dev.engram.events.EventDecodingException;
import dev.engram.events.Topics;
import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.binding.Binding;
import dev.engram.orchestrator.service.binding.BindingChanged;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads the bound user's events, and only while a user is bound: an unbound (warm) instance has no
 * Kafka consumer at all, which keeps its start-up and memory small. On bind it reads the one
 * partition of {@code engram.memories} and of {@code engram.sessions} that holds the user's events
 * (topics are keyed by user id, so the partition is the producers' default murmur2 partition of the
 * key), without a consumer group, from the bind instant on (it starts shortly after the bind, so
 * the bind does not wait for it); records of other users sharing that partition are skipped by key
 * before being decoded. On release the consumer is closed.
 */
@ApplicationScoped
public class UserEventsListener {

  /** Events stamped this long before the bind are still read (producers' clocks drift a little). */
  private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

  private static final Duration RETRY = Duration.ofSeconds(2);

  private final MemoryEventsConsumer memories;
  private final UserErasedConsumer erasures;
  private final SessionChangesConsumer changes;
  private final EventCodec codec = new EventCodec();
  private final Map<String, Object> kafkaConfig;
  private final String instance;
  private final Duration batchWindow;
  private final Duration startDelay;
  private Reader reader;

  /**
   * Starts each reader once its delay is over (one daemon thread, created at the first bind, which
   * only starts the reader's own thread).
   */
  private final ScheduledExecutorService starter =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("engram-user-events-start").unstarted(r));

  public UserEventsListener(
      MemoryEventsConsumer memories,
      UserErasedConsumer erasures,
      SessionChangesConsumer changes,
      OrchestratorConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.memories = memories;
    this.erasures = erasures;
    this.changes = changes;
    this.instance = config.instanceName();
    this.kafkaConfig = Map.copyOf(kafkaConfig);
    this.batchWindow = config.events().batchWindow();
    this.startDelay = config.events().readerStartDelay();
  }

  /** Starts reading for a new binding, stops when the instance becomes unbound. */
  synchronized void onBindingChanged(@Observes BindingChanged change) {
    if (reader != null) {
      reader.stop();
      reader = null;
    }
    Binding binding = change.binding();
    if (binding != null) {
      Reader next = new Reader(binding);
      reader = next;
      // The reader's thread is created after the delay, not here on the bind's path: the bind
      // answers without paying for a thread, and a binding released sooner needs none.
      try {
        starter.schedule(next::start, startDelay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // the application is stopping: no reader any more
      }
    }
  }

  /** Whether a consumer is running (for tests and status). */
  public synchronized boolean reading() {
    return reader != null;
  }

  @PreDestroy
  synchronized void stop() {
    starter.shutdownNow();
    if (reader != null) {
      reader.stop();
      reader = null;
    }
  }

  /**
   * The partition of {@code partitions} that the producers' default partitioner picks for a key.
   */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** One binding's consumer, on a thread of its own (a KafkaConsumer is single-threaded). */
  private final class Reader {
    private final Binding binding;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    Reader(Binding binding) {
      this.binding = binding;
    }

    void stop() {
      running = false;
      KafkaConsumer<String, byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
    }

    /** Starts the reader's own thread, unless the binding has ended meanwhile. */
    void start() {
      if (running) {
        Thread.ofPlatform().daemon().name("engram-user-events-" + binding.epoch()).start(this::run);
      }
    }

    void run() {
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties())) {
        consumer = c;
        if (!running) {
          return;
        }
        assign(c);
        while (running) {
          for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
            dispatch(r);
          }
        }
      } catch (WakeupException | InterruptedException e) {
        // stopped
      } catch (RuntimeException e) {
        Log.errorf(e, "reading the events of %s stopped", binding.userId());
      }
    }

    /**
     * Assigns the user's partitions and positions them at the bind instant; retries while Kafka is
     * away.
     */
    private List<TopicPartition> assign(KafkaConsumer<String, byte[]> c)
        throws InterruptedException {
      while (running) {
        try {
          List<TopicPartition> partitions = new ArrayList<>();
          for (String topic : List.of(Topics.MEMORIES, Topics.SESSIONS)) {
            List<PartitionInfo> info = c.partitionsFor(topic);
            if (info == null || info.isEmpty()) {
              throw new IllegalStateException("topic " + topic + " has no partitions yet");
            }
            partitions.add(new TopicPartition(topic, partitionOf(binding.userId(), info.size())));
          }
          c.assign(partitions);
          Map<TopicPartition, Long> ends = c.endOffsets(partitions);
          Map<TopicPartition, Long> since = new HashMap<>();
          long from = binding.boundAt().minus(CLOCK_SLACK).toEpochMilli();
          partitions.forEach(p -> since.put(p, from));
          Map<TopicPartition, OffsetAndTimestamp> at = c.offsetsForTimes(since);
          for (TopicPartition p : partitions) {
            OffsetAndTimestamp found = at.get(p);
            c.seek(p, found != null ? found.offset() : ends.get(p));
          }
          Log.debugf("reading %s of %s", partitions, binding.userId());
          return partitions;
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          Log.warnf("cannot read the events of %s yet: %s", binding.userId(), e.getMessage());
          Thread.sleep(RETRY);
        }
      }
      return List.of();
    }

    private void dispatch(ConsumerRecord<String, byte[]> r) {
      if (!binding.userId().equals(r.key()) || r.value() == null) {
        return;
      }
      try {
        if (Topics.MEMORIES.equals(r.topic())) {
          memories.consume(r.value(), binding);
        } else {
          CloudEvent<EventData> event = codec.decode(r.value());
          changes.consume(event, binding);
          erasures.consume(event, binding).await().atMost(Duration.ofMinutes(2));
        }
      } catch (EventDecodingException e) {
        Log.debugf("skipping an undecodable %s record: %s", r.topic(), e.getMessage());
      } catch (RuntimeException e) {
        Log.warnf("event of %s on %s not handled: %s", binding.userId(), r.topic(), e.getMessage());
      }
    }

    private Properties properties() {
      // every kafka.* setting (servers, security.protocol, SASL, trust store), then this reader's
      // own
      Properties p = new Properties();
      p.putAll(kafkaConfig);
      p.put(
          ConsumerConfig.CLIENT_ID_CONFIG,
          "engram-orchestrator-" + instance + "-" + binding.epoch());
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
      p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
      if (!batchWindow.isZero()) {
        // a fetch is answered when the window is over (or a lot has come): fewer, larger fetches
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(batchWindow.toMillis()));
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(1 << 20));
      }
      return p;
    }
  }
}
