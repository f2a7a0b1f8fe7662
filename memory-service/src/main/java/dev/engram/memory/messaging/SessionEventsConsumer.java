package dev.engram.memory.messaging;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.EventData;
import dev.engram.events.EventDecodingException;
import dev.engram.events.MessageAppended;
import dev.engram.events.MessageRole;
import dev.engram.events.UserErased;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.model.NewMemory;
import dev.engram.memory.service.EraseService;
import dev.engram.memory.service.IngestService;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code engram.sessions} in batches: {@code message.appended} becomes episodic memory
 * (system messages are not memories, nor are the offline responder's answers unless {@code
 * engram.memory.ingest.offline-answers} says so), {@code user.erased} erases the user; other
 * session events are not this service's concern. Events a batch holds are applied in order; a batch
 * is acknowledged (its offsets committed) only after it was applied, and a failure (the database
 * down) is retried with back-off rather than skipped, so nothing is lost. Undecodable records are
 * logged and skipped. Idempotent on the event id.
 */
@ApplicationScoped
public class SessionEventsConsumer {

  private static final Logger LOG = Logger.getLogger(SessionEventsConsumer.class);

  private final EventCodec codec;
  private final IngestService ingest;
  private final EraseService erase;
  private final IngestTracing tracing;
  private final MemoryConfig config;

  public SessionEventsConsumer(
      EventCodec codec,
      IngestService ingest,
      EraseService erase,
      IngestTracing tracing,
      MemoryConfig config) {
    this.codec = codec;
    this.ingest = ingest;
    this.erase = erase;
    this.tracing = tracing;
    this.config = config;
  }

  @Incoming("engram-sessions")
  public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
    List<Span> spans = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    List<NewMemory> pending = new ArrayList<>();
    String traceparent = null;
    for (ConsumerRecord<String, byte[]> record : records) {
      CloudEvent<EventData> event = decode(record);
      if (event == null) {
        continue;
      }
      Span span = tracing.start(record, event);
      spans.add(span);
      switch (event.data()) {
        case MessageAppended message when !remembered(message) -> {}
        case MessageAppended message -> {
          if (pending.isEmpty()) {
            traceparent = tracing.traceparent(span);
          }
          pending.add(toMemory(event, message));
        }
        case UserErased ignored -> {
          flush(steps, pending, traceparent);
          steps.add(() -> erase.erase(event.userId()));
        }
        default -> {}
      }
    }
    flush(steps, pending, traceparent);
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Step step : steps) {
      chain =
          chain.chain(
              () ->
                  Uni.createFrom()
                      .deferred(step::run)
                      .onFailure()
                      .invoke(this::logRetry)
                      .onFailure()
                      .retry()
                      .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                      .indefinitely()
                      .replaceWithVoid());
    }
    return chain.eventually(() -> spans.forEach(Span::end));
  }

  /** Whether {@code message} becomes a memory: not a system message, not an offline answer. */
  private boolean remembered(MessageAppended message) {
    return message.role() != MessageRole.SYSTEM
        && (config.ingest().offlineAnswers() || !offlineAnswer(message));
  }

  /** An answer of orchestrator-service's offline responder (no language model was configured). */
  static boolean offlineAnswer(MessageAppended message) {
    Object offline = message.metadata().get("offline");
    return message.role() == MessageRole.ASSISTANT
        && (Boolean.TRUE.equals(offline) || "true".equals(offline));
  }

  private interface Step {
    Uni<?> run();
  }

  private void flush(List<Step> steps, List<NewMemory> pending, String traceparent) {
    if (!pending.isEmpty()) {
      List<NewMemory> batch = List.copyOf(pending);
      steps.add(() -> ingest.ingest(batch, traceparent));
      pending.clear();
    }
  }

  private void logRetry(Throwable failure) {
    LOG.warnf("Applying session events failed, retrying: %s", failure.toString());
  }

  private CloudEvent<EventData> decode(ConsumerRecord<String, byte[]> record) {
    try {
      CloudEvent<EventData> event = codec.decode(record.value());
      if (event.userId() == null || event.userId().isBlank()) {
        LOG.warnf("Skipping %s %s without a user", event.type(), event.id());
        return null;
      }
      return event;
    } catch (EventDecodingException e) {
      LOG.warnf(
          "Skipping undecodable record %s-%d@%d: %s",
          record.topic(), record.partition(), record.offset(), e.getMessage());
      return null;
    }
  }

  private NewMemory toMemory(CloudEvent<EventData> event, MessageAppended m) {
    String content = m.content();
    int max = config.ingest().maxContentLength();
    if (content.length() > max) {
      content = content.substring(0, max);
    }
    return new NewMemory(
        event.userId(),
        dev.engram.events.MemoryType.EPISODIC,
        content,
        m.sessionId(),
        m.messageId(),
        event.id(),
        m.role().wireName(),
        m.sequence(),
        m.metadata(),
        null,
        m.createdAt() != null ? m.createdAt() : event.time(),
        null,
        speaker(m),
        null,
        null,
        null);
  }

  private String speaker(MessageAppended m) {
    for (String key : config.ingest().speakerKeys()) {
      Object value = m.metadata().get(key);
      if (value instanceof String name && !name.isBlank() && name.length() <= 80) {
        return name.trim();
      }
    }
    return null;
  }
}
