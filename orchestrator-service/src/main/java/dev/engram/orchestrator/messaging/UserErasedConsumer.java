package dev.engram.orchestrator.messaging;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.EventData;
import dev.engram.events.EventDecodingException;
import dev.engram.events.UserErased;
import dev.engram.orchestrator.service.binding.BindingService;
import dev.engram.orchestrator.service.binding.SnapshotStore;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Honours {@code user.erased} from {@code engram.sessions}: deletes the user's snapshot from Redis
 * and, if the user is bound here, forgets everything without saving a snapshot. Idempotent (a
 * delete of nothing is nothing), so every instance may act on the same event.
 */
@ApplicationScoped
public class UserErasedConsumer {

  private final BindingService bindings;
  private final SnapshotStore snapshots;
  private final EventCodec codec = new EventCodec();

  public UserErasedConsumer(BindingService bindings, SnapshotStore snapshots) {
    this.bindings = bindings;
    this.snapshots = snapshots;
  }

  /** Handles one {@code engram.sessions} record (read by {@link UserEventsListener}). */
  public Uni<Void> consume(byte[] value) {
    CloudEvent<EventData> event;
    try {
      event = codec.decode(value);
    } catch (EventDecodingException e) {
      Log.debugf("skipping an undecodable engram.sessions record: %s", e.getMessage());
      return Uni.createFrom().voidItem();
    }
    if (!(event.data() instanceof UserErased) || event.userId() == null) {
      return Uni.createFrom().voidItem();
    }
    String userId = event.userId();
    return bindings
        .erase(userId)
        .flatMap(ignored -> snapshots.delete(userId))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
        .atMost(20)
        .invoke(() -> Log.infof("erased the orchestrator state of %s", userId))
        .onFailure()
        .invoke(e -> Log.errorf("could not erase the snapshot of %s: %s", userId, e.getMessage()));
  }
}
