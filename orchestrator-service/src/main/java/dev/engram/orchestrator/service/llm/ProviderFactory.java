package dev.engram.orchestrator.service.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.orchestrator.config.OrchestratorConfig;
import io.quarkus.logging.Log;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Chooses the provider: the OpenAI-compatible one when {@code
 * engram.orchestrator.provider.base-url} is set, the offline responder otherwise.
 */
@ApplicationScoped
public class ProviderFactory {

  @Produces
  @Singleton
  LlmProvider provider(Vertx vertx, ObjectMapper mapper, OrchestratorConfig config) {
    if (config.provider().baseUrl().filter(url -> !url.isBlank()).isPresent()) {
      Log.infof(
          "LLM provider: OpenAI-compatible at %s, model %s",
          config.provider().baseUrl().get(), config.provider().model());
      return new OpenAiProvider(vertx, mapper, config.provider());
    }
    Log.info("LLM provider: none configured, the offline responder answers (labelled as such)");
    return new OfflineResponder();
  }
}
