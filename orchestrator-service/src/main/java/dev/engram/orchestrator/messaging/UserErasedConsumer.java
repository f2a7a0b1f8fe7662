package dev.engram.orchestrator.messaging;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventData;
import dev.engram.events.UserErased;
import dev.engram.orchestrator.service.binding.Binding;
import dev.engram.orchestrator.service.binding.BindingService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Honours {@code user.erased} from {@code engram.sessions} while the user is bound here: deletes
 * the user's snapshot from Redis and forgets everything without saving one. The broker does the
 * same for every erasure ({@code POST /internal/v1/erase}); both are idempotent.
 */
@ApplicationScoped
public class UserErasedConsumer {

  private final BindingService bindings;

  public UserErasedConsumer(BindingService bindings) {
    this.bindings = bindings;
  }

  /**
   * Handles one {@code engram.sessions} event of the user bound by {@code binding} (read and
   * decoded by {@link UserEventsListener}). An erasure from before the bind is skipped: the
   * listener reads a little of the past for clock drift, and the broker has already erased the user
   * from the pool, under the user's claim lock, before it could bind them again.
   */
  public Uni<Void> consume(CloudEvent<? extends EventData> event, Binding binding) {
    if (!(event.data() instanceof UserErased) || event.userId() == null) {
      return Uni.createFrom().voidItem();
    }
    if (event.time().isBefore(binding.boundAt())) {
      Log.debugf("skipping the erasure %s from before the bind of %s", event.id(), event.userId());
      return Uni.createFrom().voidItem();
    }
    String userId = event.userId();
    return bindings
        .erase(userId)
        .onFailure()
        .retry()
        .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
        .atMost(20)
        .invoke(() -> Log.infof("erased the orchestrator state of %s", userId))
        .onFailure()
        .invoke(e -> Log.errorf("could not erase the snapshot of %s: %s", userId, e.getMessage()));
  }
}
