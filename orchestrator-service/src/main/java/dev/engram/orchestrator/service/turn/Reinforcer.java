package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.MemoryClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Reports rehearsed long-term memories to memory-service ({@code POST
 * /api/v1/memories/{id}/reinforce}, reason {@code REHEARSAL}) in the background; counted in {@code
 * engram.stm.reinforcements}.
 */
@ApplicationScoped
public class Reinforcer {

  private final MemoryClient memories;
  private final MeterRegistry registry;

  public Reinforcer(MemoryClient memories, MeterRegistry registry) {
    this.memories = memories;
    this.registry = registry;
  }

  public void rehearsed(UUID memoryId, Caller caller) {
    memories
        .reinforce(memoryId, "REHEARSAL", caller.bearer())
        .subscribe()
        .with(
            ok -> registry.counter("engram.stm.reinforcements", "outcome", "reported").increment(),
            e -> {
              registry.counter("engram.stm.reinforcements", "outcome", "failed").increment();
              Log.debugf("reinforcing %s failed: %s", memoryId, e.getMessage());
            });
  }
}
