package dev.engram.memory.api;

import dev.engram.memory.embedding.Embedder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the embedding model is loaded. */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

  private final Embedder embedder;

  public ModelReadiness(Embedder embedder) {
    this.embedder = embedder;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("embedding-model").status(embedder.ready()).build();
  }
}
