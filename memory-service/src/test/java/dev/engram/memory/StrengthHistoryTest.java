package dev.engram.memory;

import static dev.engram.memory.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.events.CloudEvent;
import dev.engram.events.Sources;
import dev.engram.events.UserErased;
import dev.engram.memory.service.LifecyclePass;
import dev.engram.memory.service.StrengthHistoryService;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The strength history behind {@code GET /api/v1/analytics/strength}: the lifecycle pass samples
 * every user's memories by type and state once per interval (an hour), the endpoint answers the
 * caller's samples in a range, old samples are purged, an erasure deletes the user's. Each test
 * moves the service's clock to an hour of its own, so that no other test has sampled it.
 */
@QuarkusTest
class StrengthHistoryTest {

  static final String DB = "engram_memory_test";

  @Inject LifecyclePass pass;
  @Inject StrengthHistoryService history;
  @Inject Clock clock;

  @AfterEach
  void backToNow() {
    TestClock.reset();
  }

  /** Moves the service's clock to the middle of the hour {@code hours} from now. */
  void hoursAhead(long hours) {
    Instant target =
        Instant.now().plus(Duration.ofHours(hours)).truncatedTo(ChronoUnit.HOURS).plusSeconds(1800);
    TestClock.advance(Duration.between(clock.instant(), target));
  }

  boolean record() {
    return history.record().await().atMost(Duration.ofSeconds(60));
  }

  static List<Map<String, Object>> points(String user, String query) {
    return as(user)
        .get("/api/v1/analytics/strength" + query)
        .then()
        .statusCode(200)
        .extract()
        .path("points");
  }

  static List<String> instants(List<Map<String, Object>> points) {
    return points.stream().map(p -> (String) p.get("at")).distinct().toList();
  }

  static long total(List<Map<String, Object>> points) {
    return points.stream().mapToLong(p -> ((Number) p.get("count")).longValue()).sum();
  }

  @Test
  void thePassSamplesEachTypeAndStateAfterItsSweep() {
    String user = Api.newUser("history");
    Api.create(user, "The parking meter on Elm Street takes coins only");
    Api.create(user, "The bakery on the corner opens at seven");
    Api.create(user, Map.of("type", "SEMANTIC", "content", "Kettles descale faster with vinegar"));
    // past every one of these memories' forgetting point
    hoursAhead(70 * 24 + 7);
    pass.run().await().atMost(Duration.ofSeconds(120));

    List<Map<String, Object>> points = points(user, "");
    assertThat(instants(points)).as("one sample set").hasSize(1);
    // the sample was taken after the sweep of the same pass marked them forgotten
    assertThat(points).extracting(p -> p.get("state")).containsOnly("DECAYED");
    assertThat(total(points)).isEqualTo(3);
    // each sample is the memories of its type and state as the API shows them at that time
    List<Map<String, Object>> memories =
        as(user).get("/api/v1/memories?limit=100").then().extract().path("items");
    Map<String, List<Double>> strengths =
        memories.stream()
            .collect(
                Collectors.groupingBy(
                    m -> m.get("type") + "/" + m.get("state"),
                    Collectors.mapping(
                        m -> ((Number) m.get("strength")).doubleValue(), Collectors.toList())));
    assertThat(points).hasSize(strengths.size());
    for (Map<String, Object> p : points) {
      List<Double> own = strengths.get(p.get("type") + "/" + p.get("state"));
      double mean = ((Number) p.get("meanStrength")).doubleValue();
      assertThat(((Number) p.get("count")).longValue()).isEqualTo(own.size());
      assertThat(mean)
          .isCloseTo(own.stream().mapToDouble(d -> d).average().orElseThrow(), within(1e-6))
          .isLessThan(0.1);
      assertThat(((Number) p.get("p10")).doubleValue()).isLessThanOrEqualTo(mean + 1e-9);
      assertThat(((Number) p.get("p90")).doubleValue()).isGreaterThanOrEqualTo(mean - 1e-9);
    }

    // a second pass in the same interval takes no second sample
    pass.run().await().atMost(Duration.ofSeconds(120));
    assertThat(instants(points(user, ""))).hasSize(1);
  }

  @Test
  void theHistoryIsTheCallersOwnWithinTheRange() {
    String alice = Api.newUser("alice-history");
    String bob = Api.newUser("bob-history");
    Api.create(alice, "The spare key is under the blue flower pot");
    Api.create(alice, "The recycling goes out on Thursdays");
    Api.create(bob, "The gym closes early on Sundays");
    hoursAhead(100);
    assertThat(record()).isTrue();
    assertThat(record()).as("the interval is sampled once").isFalse();
    hoursAhead(101);
    assertThat(record()).isTrue();

    List<Map<String, Object>> mine = points(alice, "");
    List<String> at = instants(mine);
    assertThat(at).hasSize(2);
    assertThat(Instant.parse(at.get(0))).isBefore(Instant.parse(at.get(1)));
    assertThat(total(mine)).as("two memories, sampled twice").isEqualTo(4);
    assertThat(total(points(bob, ""))).isEqualTo(2);
    as(alice)
        .get("/api/v1/analytics/strength")
        .then()
        .body("intervalSeconds", equalTo(3600))
        .body("forgetThreshold", equalTo(0.1f));

    // a range holds the samples taken from `from` to `to`, both included
    assertThat(instants(points(alice, "?from=" + at.get(1)))).containsExactly(at.get(1));
    assertThat(instants(points(alice, "?from=" + at.get(0) + "&to=" + at.get(0))))
        .containsExactly(at.get(0));
    assertThat(instants(points(alice, "?to=" + Instant.parse(at.get(1)).minusMillis(1))))
        .containsExactly(at.get(0));

    // without `from`, the last 30 days
    TestClock.advance(Duration.ofDays(31));
    assertThat(points(alice, "")).isEmpty();
    assertThat(instants(points(alice, "?from=" + at.get(0)))).hasSize(2);
  }

  @Test
  void aBadRangeIsAProblem() {
    String user = Api.newUser("range");
    as(user)
        .get("/api/v1/analytics/strength?from=2026-02-02T00:00:00Z&to=2026-02-01T00:00:00Z")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/validation"))
        .body("errors[0].field", equalTo("from"));
    as(user)
        .get("/api/v1/analytics/strength?from=yesterday")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("from"));
    as(user)
        .get("/api/v1/analytics/strength?to=2026-13-01T00:00:00Z")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("to"));
    given().get("/api/v1/analytics/strength").then().statusCode(401);
  }

  @Test
  void samplesPastTheRetentionArePurged() {
    String user = Api.newUser("purge");
    Api.create(user, "The library card expires in June");
    hoursAhead(300);
    assertThat(record()).isTrue();
    String old = instants(points(user, "")).getFirst();

    hoursAhead(300 + 91 * 24);
    assertThat(record()).isTrue();
    List<String> left = instants(points(user, "?from=" + old));
    assertThat(left).hasSize(1).doesNotContain(old);
    assertThat(
            TestDatabase.queryLong(
                DB,
                "select count(*) from strength_sample_run where at < now() + interval '300 hours'"))
        .as("the sampled intervals past the retention are forgotten too")
        .isZero();
  }

  @Test
  void anErasureDeletesTheUsersHistory() {
    String erased = Api.newUser("erased-history");
    String kept = Api.newUser("kept-history");
    Api.create(erased, "The dentist appointment is on the ninth");
    Api.create(kept, "The window cleaner comes monthly");
    hoursAhead(500);
    assertThat(record()).isTrue();
    assertThat(points(erased, "")).isNotEmpty();

    EmbeddedKafka.shared()
        .publish(
            CloudEvent.of(Sources.SESSION_SERVICE, erased, new UserErased(Instant.now(), 1, 1)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                TestDatabase.queryLong(DB, "select count(*) from memory where user_id = ?", erased)
                    == 0);
    assertThat(
            TestDatabase.queryLong(
                DB, "select count(*) from strength_sample where user_id = ?", erased))
        .isZero();
    assertThat(points(erased, "")).isEmpty();
    assertThat(points(kept, "")).isNotEmpty();
  }

  @Test
  void aMemoryShowsWhatItsForgettingCurveIsDrawnFrom() {
    String user = Api.newUser("curve");
    String id = Api.create(user, "The boiler service is due in October");
    Map<String, Object> created =
        as(user).get("/api/v1/memories/" + id).then().extract().jsonPath().getMap("$");
    assertThat(created.get("reinforcedAt")).isEqualTo(created.get("createdAt"));
    assertThat(((Number) created.get("reinforcedStrength")).doubleValue())
        .isCloseTo(((Number) created.get("strength")).doubleValue(), within(1e-3));

    TestClock.advance(Duration.ofDays(5));
    Map<String, Object> later =
        as(user).get("/api/v1/memories/" + id).then().extract().jsonPath().getMap("$");
    double tau = ((Number) later.get("stabilityDays")).doubleValue();
    double days =
        Duration.between(Instant.parse((String) later.get("reinforcedAt")), clock.instant())
                .toMillis()
            / 86_400_000.0;
    // strength = reinforcedStrength · exp(−(now − reinforcedAt) / stabilityDays)
    assertThat(((Number) later.get("strength")).doubleValue())
        .isCloseTo(
            ((Number) later.get("reinforcedStrength")).doubleValue() * Math.exp(-days / tau),
            within(1e-4));

    Map<String, Object> reinforced =
        as(user)
            .post("/api/v1/memories/" + id + "/reinforce")
            .then()
            .extract()
            .jsonPath()
            .getMap("$");
    assertThat(Instant.parse((String) reinforced.get("reinforcedAt")))
        .isAfter(Instant.parse((String) later.get("reinforcedAt")));
    assertThat(((Number) reinforced.get("reinforcedStrength")).doubleValue())
        .isGreaterThan(((Number) later.get("strength")).doubleValue());
  }
}
