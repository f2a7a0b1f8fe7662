package dev.engram.orchestrator.service.binding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.orchestrator.client.FactView;
import dev.engram.orchestrator.client.MessageView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HeldContextTest {

  private final UUID session = UUID.randomUUID();
  private final Binding binding = new Binding("alice", "claim", Instant.now(), "e1");
  private final HeldContext held = bound(new HeldContext(3, Duration.ofMinutes(1)));

  private HeldContext bound(HeldContext context) {
    context.bound(binding);
    return context;
  }

  private MessageView message(long sequence) {
    return new MessageView(
        UUID.randomUUID(), session, sequence, "user", "m" + sequence, Map.of(), Instant.now());
  }

  private static List<String> contents(List<MessageView> messages) {
    return messages.stream().map(MessageView::content).toList();
  }

  @Test
  void nothingIsHeldUntilRead() {
    assertThat(held.lastMessages(session)).isNull();
    assertThat(held.facts()).isNull();
  }

  @Test
  void aReadSessionIsHeldAndKeepsTheMessagesStoredSinceInOrder() {
    held.heldMessages(session, List.of(message(1), message(2)), held.messagesEpoch(binding));
    held.remember(message(4));
    held.remember(message(3));

    assertThat(contents(held.lastMessages(session))).containsExactly("m2", "m3", "m4");
  }

  @Test
  void aMessageStoredWhileTheReadRanIsNotLost() {
    long epoch = held.messagesEpoch(binding);
    MessageView stored = message(3);
    held.remember(stored);
    assertThat(held.lastMessages(session)).isNull(); // known to be incomplete

    held.heldMessages(session, List.of(message(1), message(2)), epoch);

    assertThat(contents(held.lastMessages(session))).containsExactly("m1", "m2", "m3");
  }

  @Test
  void aMessageAppendedBySomeoneElseDropsTheSession() {
    MessageView own = message(2);
    held.heldMessages(session, List.of(message(1)), held.messagesEpoch(binding));
    held.remember(own);

    held.appended(session, own.id()); // its own event: still held
    assertThat(held.lastMessages(session)).isNotNull();

    held.appended(session, UUID.randomUUID());
    assertThat(held.lastMessages(session)).isNull();
  }

  @Test
  void aReadThatOverlappedAChangeIsNotHeld() {
    held.heldMessages(session, List.of(message(1)), held.messagesEpoch(binding));
    long epoch = held.messagesEpoch(binding);
    held.appended(session, UUID.randomUUID());
    held.heldMessages(session, List.of(message(1)), epoch);
    assertThat(held.lastMessages(session)).isNull();

    long factsEpoch = held.factsEpoch(binding);
    held.factsChanged();
    held.heldFacts(List.of(fact("tea")), factsEpoch);
    assertThat(held.facts()).isNull();
  }

  @Test
  void factsAreHeldUntilTheyChange() {
    held.heldFacts(List.of(fact("tea")), held.factsEpoch(binding));
    assertThat(held.facts()).extracting(FactView::object).containsExactly("tea");

    held.factsChanged();
    assertThat(held.facts()).isNull();
  }

  @Test
  void clearForgetsEverythingAndReadsInFlight() {
    long epoch = held.messagesEpoch(binding);
    long factsEpoch = held.factsEpoch(binding);
    held.heldFacts(List.of(fact("tea")), factsEpoch);
    held.clear();
    held.heldMessages(session, List.of(message(1)), epoch);
    held.heldFacts(List.of(fact("coffee")), factsEpoch);

    assertThat(held.lastMessages(session)).isNull();
    assertThat(held.facts()).isNull();
  }

  @Test
  void aReadOfABindingThatHasEndedIsNeverHeld() {
    Binding next = new Binding("bob", "claim", Instant.now(), "e2");
    // a read of alice's started after her release (and bob's bind) ...
    held.bound(null);
    long unbound = held.messagesEpoch(binding);
    long unboundFacts = held.factsEpoch(binding);
    held.bound(next);
    long late = held.messagesEpoch(binding);
    long lateFacts = held.factsEpoch(binding);
    // ... is not held, whenever it returns
    held.heldMessages(session, List.of(message(1)), unbound);
    held.heldMessages(session, List.of(message(1)), late);
    held.heldFacts(List.of(fact("tea")), unboundFacts);
    held.heldFacts(List.of(fact("tea")), lateFacts);
    assertThat(held.lastMessages(session)).isNull();
    assertThat(held.facts()).isNull();
    // bob's reads are
    held.heldMessages(session, List.of(message(1)), held.messagesEpoch(next));
    assertThat(held.lastMessages(session)).isNotNull();
  }

  @Test
  void nothingIsHeldWhenHoldingIsOffOrAfterItsTime() throws InterruptedException {
    HeldContext off = bound(new HeldContext(3, Duration.ZERO));
    off.heldMessages(session, List.of(message(1)), off.messagesEpoch(binding));
    off.heldFacts(List.of(fact("tea")), off.factsEpoch(binding));
    assertThat(off.lastMessages(session)).isNull();
    assertThat(off.facts()).isNull();

    HeldContext brief = bound(new HeldContext(3, Duration.ofMillis(20)));
    brief.heldFacts(List.of(fact("tea")), brief.factsEpoch(binding));
    long until = System.nanoTime() + Duration.ofMillis(200).toNanos();
    while (brief.facts() != null && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    assertThat(brief.facts()).isNull();
  }

  @Test
  void theLeastRecentlyUsedSessionGoesBeyondTheLimit() {
    List<UUID> sessions = new ArrayList<>();
    for (int i = 0; i <= HeldContext.MAX_SESSIONS; i++) {
      UUID id = UUID.randomUUID();
      sessions.add(id);
      held.heldMessages(
          id,
          List.of(new MessageView(UUID.randomUUID(), id, 1, "user", "x", Map.of(), Instant.now())),
          held.messagesEpoch(binding));
    }
    assertThat(held.lastMessages(sessions.get(0))).isNull();
    assertThat(held.lastMessages(sessions.get(HeldContext.MAX_SESSIONS))).isNotNull();
  }

  private static FactView fact(String object) {
    return new FactView(UUID.randomUUID(), "PREFERENCE", "user", "likes", object, 0.9);
  }
}
