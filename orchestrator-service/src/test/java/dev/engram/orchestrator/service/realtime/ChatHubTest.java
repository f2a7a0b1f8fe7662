package dev.engram.orchestrator.service.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.orchestrator.service.binding.Binding;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ChatHubTest {

  private final ChatHub hub = new ChatHub(new ObjectMapper(), 16);

  /** A connection that records what it is sent and whether (and why) it was closed. */
  private static final class Tab {
    final List<String> sent = new CopyOnWriteArrayList<>();
    final AtomicReference<CloseReason> closed = new AtomicReference<>();
    final WebSocketConnection connection =
        (WebSocketConnection)
            Proxy.newProxyInstance(
                WebSocketConnection.class.getClassLoader(),
                new Class<?>[] {WebSocketConnection.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "isOpen" -> closed.get() == null;
                      case "isClosed" -> closed.get() != null;
                      case "sendText" -> {
                        sent.add((String) args[0]);
                        yield Uni.createFrom().voidItem();
                      }
                      case "close" -> {
                        closed.compareAndSet(
                            null, args == null ? CloseReason.NORMAL : (CloseReason) args[0]);
                        yield Uni.createFrom().voidItem();
                      }
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      case "toString" -> "tab";
                      default -> throw new UnsupportedOperationException(method.getName());
                    });

    boolean attach(ChatHub hub, Binding binding) {
      return hub.attach(connection, binding, last -> Map.of("lastEventId", last), null);
    }
  }

  private static Binding binding(String user, String epoch) {
    return new Binding(user, "claim", Instant.now(), epoch);
  }

  @Test
  void aConnectionOfTheCurrentBindingIsAttachedAndSeesItsFrames() {
    Binding alice = binding("alice", "e1");
    hub.reset(alice.epoch());
    Tab tab = new Tab();

    assertThat(tab.attach(hub, alice)).isTrue();
    hub.publish(alice, "token", Map.of("delta", "hi"));

    assertThat(tab.sent).hasSize(2);
    assertThat(tab.sent.get(0)).contains("\"type\":\"hello\"");
    assertThat(tab.sent.get(1)).contains("\"delta\":\"hi\"");
    assertThat(tab.closed.get()).isNull();
    assertThat(hub.connectionCount()).isEqualTo(1);
  }

  @Test
  void aConnectionOfAReleasedBindingIsClosedAndNeverSeesTheNextUser() {
    Binding alice = binding("alice", "e1");
    hub.reset(alice.epoch());
    // alice's upgrade was let through; then she is released (as BindingService.forget does) ...
    hub.reset("none");
    hub.closeAll("released");
    Tab late = new Tab();

    // ... before her connection is attached: it is refused and closed, with no hello
    assertThat(late.attach(hub, alice)).isFalse();
    assertThat(late.closed.get()).isNotNull();
    assertThat(late.sent).isEmpty();

    // bob is bound next: nothing of his reaches alice's connection
    Binding bob = binding("bob", "e2");
    hub.reset(bob.epoch());
    Tab bobs = new Tab();
    assertThat(bobs.attach(hub, bob)).isTrue();
    hub.publish(bob, "token", Map.of("delta", "for bob"));
    assertThat(late.sent).isEmpty();
    assertThat(bobs.sent).anyMatch(f -> f.contains("for bob"));
    assertThat(hub.connectionCount()).isEqualTo(1);
  }

  @Test
  void aConnectionOfAnEarlierBindingIsRefusedWhileAnotherUserIsBound() {
    Binding alice = binding("alice", "e1");
    Binding bob = binding("bob", "e2");
    hub.reset(bob.epoch());
    Tab tab = new Tab();

    assertThat(tab.attach(hub, alice)).isFalse();
    assertThat(tab.closed.get()).isNotNull();
    assertThat(tab.sent).isEmpty();
    assertThat(tab.attach(hub, null)).isFalse();
    assertThat(hub.connectionCount()).isZero();
  }

  @Test
  void everyConnectionAttachedDuringARaceWithTheReleaseEndsClosed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 200; round++) {
        Binding alice = binding("alice", "e" + round);
        hub.reset(alice.epoch());
        List<Tab> tabs = List.of(new Tab(), new Tab(), new Tab(), new Tab(), new Tab());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> attaching =
            tabs.stream()
                .map(
                    tab ->
                        pool.submit(
                            () -> {
                              go.await();
                              return tab.attach(hub, alice);
                            }))
                .<Future<?>>map(f -> f)
                .toList();
        go.countDown();
        hub.reset("none");
        hub.closeAll("released");
        for (Future<?> f : attaching) {
          f.get(5, TimeUnit.SECONDS);
        }
        assertThat(tabs).allMatch(tab -> tab.closed.get() != null);
        assertThat(hub.connectionCount()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
