package dev.engram.orchestrator.api;

import dev.engram.orchestrator.fixtures.Fixtures;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The instance with a model: the OpenAI-compatible provider pointed at {@link Fixtures#openAi()},
 * with short timeouts so that failing streams fail fast, and a circuit breaker that needs more
 * requests than a test class makes (the tests fail the provider on purpose).
 */
public class ModelProfile implements QuarkusTestProfile {

  public static final String MODEL = "fixture-model";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "engram.orchestrator.provider.model", MODEL,
        "engram.orchestrator.provider.connect-timeout", "PT2S",
        "engram.orchestrator.provider.idle-timeout", "PT1S",
        "engram.orchestrator.provider.max-retries", "2",
        "engram.orchestrator.provider.retry-delay", "PT0.05S",
        "engram.orchestrator.provider.circuit-breaker-volume", "100");
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(Model.class));
  }

  /**
   * Points the instance at the fixture and gives it a key. A test resource rather than the
   * profile's overrides: resources are loaded like the tests, so both see the same fixture.
   */
  public static class Model implements QuarkusTestResourceLifecycleManager {

    /** The API key the instance sends (made up per run: not a secret, but not one to commit). */
    public static final String API_KEY = "test-" + UUID.randomUUID();

    @Override
    public Map<String, String> start() {
      return Map.of(
          "engram.orchestrator.provider.base-url",
          Fixtures.openAi().baseUrl(),
          "engram.orchestrator.provider.api-key",
          API_KEY);
    }

    @Override
    public void stop() {
      // the fixture is shared by the test JVM, like the other fixtures
    }
  }
}
