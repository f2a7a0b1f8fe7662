package dev.engram.memory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MetricsTest {

  @Test
  void exposesCacheHitRatiosPerLevelAndProbesAndOpenApi() {
    String user = Api.newUser("metrics");
    Api.create(user, "Metrics are gathered by Prometheus");
    Api.search(user, Map.of("query", "prometheus")).statusCode(200);
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("engram_memory_vector_cache_hit_ratio{level=\"l1\""))
        .body(containsString("engram_memory_vector_cache_hit_ratio{level=\"l2\""))
        .body(containsString("engram_memory_vector_cache_total{level=\"l3\""))
        .body(containsString("engram_memory_embedding_batch_seconds"));
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/q/health/live").then().statusCode(200);
    given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body(containsString("/api/v1/memories/search"))
        .body(containsString("/api/v1/analytics/summary"));
  }
}
