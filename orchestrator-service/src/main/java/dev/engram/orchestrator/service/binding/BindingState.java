package dev.engram.orchestrator.service.binding;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this instance is bound, to whom, and when the user last did something. Activity means
 * application activity (user messages, turns), never WebSocket keep-alives, so the broker can tell
 * an idle pod from a busy one.
 */
@ApplicationScoped
public class BindingState {

  private final Clock clock;
  private final Instant startedAt;
  private final AtomicReference<Binding> binding = new AtomicReference<>();
  private final AtomicReference<Instant> lastActivity = new AtomicReference<>();
  private final Event<BindingChanged> changes;

  public BindingState(Clock clock, Event<BindingChanged> changes) {
    this.clock = clock;
    this.changes = changes;
    this.startedAt = clock.instant();
  }

  public Optional<Binding> current() {
    return Optional.ofNullable(binding.get());
  }

  /** Whether {@code userId} is the bound user. */
  public boolean boundTo(String userId) {
    Binding b = binding.get();
    return b != null && b.userId().equals(userId);
  }

  /** Whether {@code candidate} is still the current binding (turns check before writing state). */
  public boolean isCurrent(Binding candidate) {
    return candidate != null && binding.get() == candidate;
  }

  void bind(Binding next) {
    binding.set(next);
    lastActivity.set(next.boundAt());
    changes.fire(new BindingChanged(next));
  }

  void unbind() {
    binding.set(null);
    lastActivity.set(null);
    changes.fire(new BindingChanged(null));
  }

  /** Records application activity now. */
  public void touch() {
    if (binding.get() != null) {
      lastActivity.set(clock.instant());
    }
  }

  public Optional<Instant> lastActivityAt() {
    return Optional.ofNullable(lastActivity.get());
  }

  public Instant startedAt() {
    return startedAt;
  }
}
