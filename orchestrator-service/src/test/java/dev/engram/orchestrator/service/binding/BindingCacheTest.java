package dev.engram.orchestrator.service.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BindingCacheTest {

  private final BindingCache<String, String> cache = new BindingCache<>();
  private final Binding alice = new Binding("alice", "c1", Instant.now(), "e1");
  private final Binding bob = new Binding("bob", "c2", Instant.now(), "e2");

  @Test
  void holdsTheEntriesOfItsBindingUntilItChanges() {
    cache.bound(alice);
    cache.put(alice, "session", "alice's session");
    assertThat(cache.get("session")).isEqualTo("alice's session");

    cache.bound(null); // released
    assertThat(cache.get("session")).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void aWriteOfAnEndedBindingIsDropped() {
    cache.bound(alice);
    cache.bound(null); // alice released while her turn still ran
    cache.put(alice, "session", "alice's session");
    assertThat(cache.size()).isZero();

    cache.bound(bob); // and bob bound before it finished
    cache.put(alice, "session", "alice's session");
    assertThat(cache.get("session")).isNull();
    cache.put(bob, "session", "bob's session");
    assertThat(cache.get("session")).isEqualTo("bob's session");
  }

  @Test
  void nothingIsCachedWhileUnboundOrForNobody() {
    cache.put(null, "k", "v");
    cache.put(alice, "k", "v");
    assertThat(cache.size()).isZero();
  }
}
