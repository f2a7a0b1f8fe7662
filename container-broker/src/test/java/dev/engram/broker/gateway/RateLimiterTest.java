package dev.engram.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.broker.gateway.RateLimiter.Decision;
import dev.engram.broker.testing.ChartObjects;
import dev.engram.broker.testing.KubernetesProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two limiters sharing one Redis, as two gateway replicas do: each decides locally, together they
 * stay within the documented bound, and what one spent the other learns.
 */
@QuarkusTest
@TestProfile(KubernetesProfile.class)
@WithKubernetesTestServer(crud = true, setup = ChartObjects.class)
class RateLimiterTest {

  private static final int CAPACITY = 10;
  private static final double PER_SECOND = 0.5;
  private static final Duration SYNC = Duration.ofMillis(50);

  @Inject RedisAPI redis;
  @Inject Vertx vertx;

  @Test
  void twoReplicasTogetherStayWithinTheDocumentedBoundAndThenBothRefuse() {
    RateLimiter a = limiter();
    RateLimiter b = limiter();
    String user = user();
    long started = System.nanoTime();
    int allowed = 0;
    for (int i = 0; i < 100; i++) {
      if ((i % 2 == 0 ? a : b).take(user).await().atMost(Duration.ofSeconds(5)).allowed()) {
        allowed++;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    // one bucket: capacity + refill × t; N = 2 replicas add at most (N - 1) × (capacity + refill
    // × W), W = sync interval + a round trip, which is within t here
    double bound = CAPACITY + PER_SECOND * seconds + (CAPACITY + PER_SECOND * seconds);
    assertThat(allowed).isGreaterThanOrEqualTo(CAPACITY).isLessThanOrEqualTo((int) bound);

    await().atMost(Duration.ofSeconds(10)).until(() -> a.unsettled(user) + b.unsettled(user) == 0);
    // the shared bucket now holds the debt of both: neither replica admits
    assertThat(a.tryTake(user).allowed()).isFalse();
    Decision refused = b.tryTake(user);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterMillis()).isGreaterThanOrEqualTo(1000);
  }

  @Test
  void whatOneReplicaSpentTheOtherRefuses() {
    RateLimiter a = limiter();
    RateLimiter b = limiter();
    String user = user();
    for (int i = 0; i < CAPACITY; i++) {
      assertThat(a.take(user).await().atMost(Duration.ofSeconds(5)).allowed()).isTrue();
    }
    assertThat(a.tryTake(user).allowed()).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> a.unsettled(user) == 0);

    Decision first = b.take(user).await().atMost(Duration.ofSeconds(5));
    assertThat(first.allowed()).isFalse();
    assertThat(first.retryAfterMillis()).isPositive();
    // another user is not affected
    assertThat(b.take(user()).await().atMost(Duration.ofSeconds(5)).allowed()).isTrue();
  }

  @Test
  void aReplicaThatKnowsTheUserDecidesWithoutRedis() {
    RateLimiter a = limiter();
    String user = user();
    assertThat(a.tryTake(user)).isNull();
    assertThat(a.take(user).await().atMost(Duration.ofSeconds(5)).allowed()).isTrue();
    Decision local = a.tryTake(user);
    assertThat(local).isNotNull();
    assertThat(local.allowed()).isTrue();
  }

  private RateLimiter limiter() {
    return new RateLimiter(redis, vertx, CAPACITY, PER_SECOND, SYNC);
  }

  private static String user() {
    return "limited-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
