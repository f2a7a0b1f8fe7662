package dev.engram.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Probes, metrics and API documentation, as an operator or a client developer sees them. */
@QuarkusTest
class OperationsTest {

  @Test
  void readinessChecksPostgresAndKafka() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(
            "checks.name",
            hasItems(
                "Reactive PostgreSQL connections health check", "Kafka connection health check"));
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void prometheusMetricsIncludeRequestsAndTheOutbox() {
    Api alice = Api.newUser();
    alice.createSession("metrics");
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("http_server_requests_seconds_count"))
        .body(containsString("engram_outbox_published_total"));
  }

  @Test
  void openApiDescribesTheApiAndSwaggerUiServesIt() {
    given()
        .queryParam("format", "json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(containsString("/api/v1/sessions/{id}/messages"))
        .body(containsString("/api/v1/users/me/export"))
        .body(containsString("\"jwt\""));
    given().get("/q/swagger-ui/").then().statusCode(200);
  }
}
