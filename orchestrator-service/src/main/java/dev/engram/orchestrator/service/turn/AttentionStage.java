package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.service.binding.UserState;
import dev.engram.orchestrator.service.realtime.ChatHub;
import dev.engram.orchestrator.service.realtime.Frames;
import dev.engram.orchestrator.service.stm.Candidate;
import dev.engram.orchestrator.service.stm.StmUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/**
 * Runs the working set's turn (decay, rehearsal, entry, eviction), pushes {@code stm_update} to
 * every tab, and reports rehearsed long-term memories for reinforcement without making the turn
 * wait for it.
 */
@ApplicationScoped
public class AttentionStage {

  private final UserState user;
  private final Reinforcer reinforcer;
  private final ChatHub hub;
  private final Clock clock;

  public AttentionStage(UserState user, Reinforcer reinforcer, ChatHub hub, Clock clock) {
    this.user = user;
    this.reinforcer = reinforcer;
    this.hub = hub;
    this.clock = clock;
  }

  /** Attends to {@code candidates}; a turn of a binding that has ended changes nothing. */
  public StmUpdate attend(List<Candidate> candidates, Caller caller) {
    if (!user.ownedBy(caller.binding())) {
      return new StmUpdate(
          user.stm().turn(), List.of(), List.of(), List.of(), List.of(), List.of());
    }
    StmUpdate update = user.stm().attend(candidates, clock.instant());
    hub.publish(caller.binding(), Frames.STM_UPDATE, Frames.StmUpdate.of(update));
    update.reinforce().forEach(id -> reinforcer.rehearsed(id, caller));
    return update;
  }
}
