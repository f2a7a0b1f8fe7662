package dev.engram.broker.events;

import dev.engram.broker.claim.UserEraser;
import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.EventData;
import dev.engram.events.EventDecodingException;
import dev.engram.events.UserErased;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code engram.sessions} in the {@code container-broker} group (one replica handles each
 * record) for {@code user.erased}, and erases the user from the pool ({@link UserEraser}). Other
 * session events are skipped. An erasure that fails (Redis away, a claim under way) is retried with
 * back-off until it succeeds, so none is skipped; the record is acknowledged only after it.
 */
@ApplicationScoped
public class UserErasedConsumer {

  private static final Logger LOG = Logger.getLogger(UserErasedConsumer.class);

  private final UserEraser eraser;
  private final EventCodec codec = new EventCodec();

  UserErasedConsumer(UserEraser eraser) {
    this.eraser = eraser;
  }

  @Incoming("engram-sessions")
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    CloudEvent<EventData> event = erasure(record);
    if (event == null) {
      return Uni.createFrom().voidItem();
    }
    String userId = event.userId();
    return eraser
        .erase(userId)
        .onFailure()
        .invoke(
            e -> LOG.warnf("Erasing %s from the pool failed, retrying: %s", userId, e.getMessage()))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30))
        .indefinitely()
        .invoke(() -> LOG.infof("Erased %s from the pool (event %s)", userId, event.id()));
  }

  /** The record's {@code user.erased} event, or null for any other record. */
  private CloudEvent<EventData> erasure(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return null;
    }
    try {
      CloudEvent<EventData> event = codec.decode(record.value());
      return event.data() instanceof UserErased && event.userId() != null ? event : null;
    } catch (EventDecodingException e) {
      LOG.debugf("Skipping an undecodable engram.sessions record: %s", e.getMessage());
      return null;
    }
  }
}
