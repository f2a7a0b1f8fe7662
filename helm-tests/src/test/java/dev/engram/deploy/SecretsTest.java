package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.deploy.EngramChart.Rendered;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.smallrye.jwt.util.KeyUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets are generated at install, kept on upgrade, and never fixed in the chart. */
class SecretsTest {

  @Test
  void theGeneratedKeyPairIsReadBySmallRyeJwtAndSignsWhatItVerifies() throws Exception {
    Map<String, String> keys = data(EngramChart.render().get("Secret", "engram-jwt"));
    PrivateKey privateKey = KeyUtils.decodePrivateKey(keys.get("private.pem"));
    PublicKey publicKey = KeyUtils.decodePublicKey(keys.get("public.pem"));

    byte[] claims = "{\"sub\":\"alice\"}".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(privateKey);
    signer.update(claims);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(publicKey);
    verifier.update(claims);
    assertThat(verifier.verify(signature)).isTrue();
    assertThat(keys.get("private.pem")).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(keys.get("public.pem")).startsWith("-----BEGIN PUBLIC KEY-----\n");
  }

  @Test
  void everyInstallGetsItsOwnKeysAndPasswords() {
    Rendered first = EngramChart.render(List.of("in-cluster"), Map.of());
    Rendered second = EngramChart.render(List.of("in-cluster"), Map.of());
    for (String name : List.of("engram-jwt", "engram-postgresql", "engram-redis", "engram-kafka")) {
      JsonNode a = first.get("Secret", name).path("data");
      assertThat(a.isEmpty()).as(name).isFalse();
      a.properties()
          .forEach(
              e ->
                  assertThat(decode(e.getValue().asText()))
                      .as(name + "/" + e.getKey())
                      .hasSizeGreaterThan(15));
      assertThat(a).as(name).isNotEqualTo(second.get("Secret", name).path("data"));
    }
  }

  @Test
  void anUpgradeKeepsTheSecretsAlreadyInTheCluster() {
    JsonNode installed =
        EngramChart.render(List.of("in-cluster"), Map.of()).get("Secret", "engram-jwt");
    var client = MockCluster.client();
    var secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("engram-jwt")
            .withNamespace(EngramChart.NAMESPACE)
            .endMetadata()
            .withData(
                Map.of(
                    "private.pem", installed.at("/data/private.pem").asText(),
                    "public.pem", installed.at("/data/public.pem").asText()))
            .build();
    client.secrets().inNamespace(EngramChart.NAMESPACE).resource(secret).create();
    try {
      JsonNode upgraded =
          EngramChart.render(List.of("in-cluster"), Map.of()).get("Secret", "engram-jwt");
      assertThat(upgraded.path("data")).isEqualTo(installed.path("data"));
    } finally {
      client.secrets().inNamespace(EngramChart.NAMESPACE).withName("engram-jwt").delete();
    }
  }

  @Test
  void existingSecretsAreReferencedAndNotRendered() {
    Rendered rendered = EngramChart.render("existing-secrets");
    assertThat(rendered.all("Secret")).isEmpty();
    JsonNode pod = rendered.get("Deployment", "engram-session-service").at("/spec/template/spec");
    assertThat(pod.toString())
        .contains("\"secretName\":\"engram-signing-keys\"")
        .contains("{\"name\":\"engram-pg\",\"key\":\"pg-password\"}");
    assertThat(rendered.orchestratorPod().toString())
        .contains("{\"name\":\"engram-llm\",\"key\":\"api-key\"}")
        .contains("{\"name\":\"engram-redis-auth\",\"key\":\"password\"}");
  }

  @Test
  void onlyTheBrokerMountsThePrivateKey() {
    Rendered rendered = EngramChart.render();
    for (var w : rendered.workloads()) {
      JsonNode jwt = null;
      for (JsonNode v : w.podSpec().path("volumes")) {
        if (v.path("name").asText().equals("jwt")) {
          jwt = v;
        }
      }
      assertThat(jwt).as(w.name()).isNotNull();
      String items = jwt.at("/secret/items").toString();
      if (w.name().equals("engram-container-broker")) {
        assertThat(jwt.at("/secret/items").isMissingNode()).isTrue();
      } else {
        assertThat(items).as(w.name()).contains("public.pem").doesNotContain("private.pem");
      }
    }
  }

  @Test
  void theChartCarriesNoSecretValue() throws Exception {
    String values = Files.readString(EngramChart.dir().resolve("values.yaml"));
    assertThat(values).doesNotContain("BEGIN").doesNotContainPattern("password: \"?[^\"\\s]");
    try (var files = Files.walk(EngramChart.dir())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file))
            .as(file.toString())
            .doesNotContain("PRIVATE KEY-----\nMII");
      }
    }
  }

  static Map<String, String> data(JsonNode secret) {
    var result = new java.util.HashMap<String, String>();
    secret
        .path("data")
        .properties()
        .forEach(e -> result.put(e.getKey(), decode(e.getValue().asText())));
    return result;
  }

  static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
