package dev.engram.orchestrator.service.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.orchestrator.service.realtime.Frames;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The first delta goes out at once, a burst as one frame, and nothing is lost or reordered. */
class TokenFramesTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<Frames.Token> sent = new CopyOnWriteArrayList<>();
  private final TokenFrames frames =
      new TokenFrames(sent::add, UUID.randomUUID(), "c-1", UUID.randomUUID());

  @AfterEach
  void close() {
    vertx.close();
  }

  private void sentAre(String... deltas) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(sent).extracting(Frames.Token::delta).containsExactly(deltas));
  }

  @Test
  void aBurstOnTheEventLoopIsOneFrameAfterTheFirstDelta() throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<List<Frames.Token>> inTheBurst = new CompletableFuture<>();
    context.runOnContext(
        ignored -> {
          frames.add("Hello ");
          frames.add("dear ");
          frames.add("world");
          inTheBurst.complete(List.copyOf(sent));
        });
    assertThat(inTheBurst.get(5, TimeUnit.SECONDS))
        .extracting(Frames.Token::delta)
        .containsExactly("Hello ");
    sentAre("Hello ", "dear world");
    assertThat(sent).extracting(Frames.Token::index).containsExactly(0, 1);
    assertThat(frames.deltas()).isEqualTo(3);
  }

  @Test
  void deltasOfSeparateBurstsAreSeparateFrames() {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(ignored -> frames.add("one "));
    context.runOnContext(ignored -> frames.add("two "));
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
    context.runOnContext(ignored -> frames.add("three"));

    sentAre("one ", "two ", "three");
  }

  @Test
  void theEndOfTheStreamSendsWhatIsPendingAtOnce() throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Integer> atTheEnd = new CompletableFuture<>();
    CompletableFuture<Integer> afterTheBurst = new CompletableFuture<>();
    context.runOnContext(
        ignored -> {
          frames.add("a ");
          frames.add("b ");
          frames.add("c");
          frames.flush();
          atTheEnd.complete(sent.size());
          // runs after the flush the burst scheduled, which finds nothing left
          context.runOnContext(later -> afterTheBurst.complete(sent.size()));
        });

    assertThat(atTheEnd.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(afterTheBurst.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(sent).extracting(Frames.Token::delta).containsExactly("a ", "b c");
  }

  @Test
  void offTheEventLoopEveryDeltaIsSentAtOnce() {
    frames.add("x");
    frames.add("y");

    assertThat(sent).extracting(Frames.Token::delta).containsExactly("x", "y");
  }
}
