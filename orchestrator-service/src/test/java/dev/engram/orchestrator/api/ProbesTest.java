package dev.engram.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.engram.testing.RedisServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the probes, as a deployment uses them. */
@QuarkusTest
class ProbesTest {

  @Test
  void theOpenApiDocumentListsThePublicApi() {
    JsonPath openapi =
        given()
            .accept("application/json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    Map<String, Map<String, Object>> paths = openapi.getMap("paths");
    assertThat(paths)
        .containsKeys(
            "/api/v1/turns",
            "/api/v1/context/preview",
            "/api/v1/stm",
            "/internal/v1/release",
            "/internal/v1/erase",
            "/internal/v1/status");
    assertThat(paths.get("/api/v1/turns")).containsKey("post");
    assertThat(paths.get("/api/v1/context/preview")).containsKey("get");
    assertThat(paths.get("/api/v1/stm")).containsKey("get");
    assertThat(openapi.getString("info.title")).isEqualTo("Engram orchestrator-service");
    given().get("/q/swagger-ui/").then().statusCode(200);
  }

  @Test
  void livenessIsUp() {
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void readinessFollowsRedisBoundOrNot() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    Broker.freshUser("probes");
    given().get("/q/health/ready").then().statusCode(200);
    RedisServer.shared().stop();
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  given()
                      .get("/q/health/ready")
                      .then()
                      .statusCode(503)
                      .body("status", equalTo("DOWN"))
                      .body("checks.status", hasItem("DOWN")));
      // liveness does not depend on Redis: the instance is not restarted for it
      given().get("/q/health/live").then().statusCode(200);
    } finally {
      RedisServer.shared().start();
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    Broker.release().statusCode(200);
  }
}
