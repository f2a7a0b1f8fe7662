package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.deploy.EngramChart.Rendered;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What {@code helm install} prints (NOTES.txt): commands that name the objects the same install
 * creates, so that a newcomer can copy them.
 */
class NotesTest {

  @Test
  void theDefaultNotesNameTheReleasesOwnObjects() {
    String notes = EngramChart.notes(List.of(), Map.of());
    Rendered rendered = EngramChart.render();

    Matcher forward = Pattern.compile("port-forward service/(\\S+) 18080:(\\d+)").matcher(notes);
    assertThat(forward.find()).as(notes).isTrue();
    JsonNode service = rendered.get("Service", forward.group(1));
    assertThat(service.at("/spec/ports").findValuesAsText("port")).contains(forward.group(2));
    assertThat(notes).contains("open http://127.0.0.1:18080/");

    Matcher rollout =
        Pattern.compile("rollout status deployment -l app.kubernetes.io/instance=(\\S+)")
            .matcher(notes);
    assertThat(rollout.find()).isTrue();
    assertThat(rendered.all("Deployment"))
        .isNotEmpty()
        .allSatisfy(
            d ->
                assertThat(d.at("/metadata/labels/app.kubernetes.io~1instance").asText())
                    .isEqualTo(rollout.group(1)));
    assertThat(notes).contains("helm test " + EngramChart.RELEASE + " -n " + EngramChart.NAMESPACE);

    Matcher pool = Pattern.compile("get pods -l engram.dev/pool=(\\S+)").matcher(notes);
    assertThat(pool.find()).isTrue();
    // the broker labels its pods engram.dev/pool with the pool it is told
    assertThat(
            ConfigTest.config(rendered, "container-broker")
                .path("ENGRAM_BROKER_KUBERNETES_POOL")
                .asText())
        .isEqualTo(pool.group(1));

    Matcher secret = Pattern.compile("the key in secret \"([^\"]+)\"").matcher(notes);
    assertThat(secret.find()).isTrue();
    assertThat(rendered.has("Secret", secret.group(1))).isTrue();
    assertThat(notes)
        .contains("Development tokens are off")
        .doesNotContain("/api/v1/dev/token")
        .contains(
            "external PostgreSQL (postgresql:5432), Redis (redis:6379) and Kafka (kafka:9092)")
        .doesNotContain("WARNING");
  }

  @Test
  void behindAnIngressWithDevelopmentTokensTheNotesUseItsUrl() {
    String notes = EngramChart.notes(List.of("ingress"), Map.of("auth.devTokens", true));
    assertThat(notes)
        .contains("https://engram.test.example/")
        .doesNotContain("port-forward")
        .contains("Development tokens are ON")
        .contains("curl -s -X POST https://engram.test.example/api/v1/dev/token")
        .contains("https://engram.test.example/api/v1/connect");
  }

  @Test
  void trialAndUnprotectedInstallsAreWarnedAbout() {
    assertThat(EngramChart.notes(List.of("in-cluster"), Map.of()))
        .contains("WARNING: the in-cluster PostgreSQL, Redis or Kafka is a single instance");
    assertThat(EngramChart.notes(List.of(), Map.of("networkPolicy.enabled", false)))
        .contains("WARNING: networkPolicy.enabled=false");
  }
}
