package dev.engram.orchestrator.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.orchestrator.config.OrchestratorConfig;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** memory-service's REST API, called with the user's own token. */
@ApplicationScoped
public class MemoryClient {

  private static final String SERVICE = "memory-service";

  private final ServiceHttp http;
  private final ObjectMapper mapper;
  private final String base;

  @Inject
  public MemoryClient(ServiceHttp http, ObjectMapper mapper, OrchestratorConfig config) {
    this(http, mapper, config.services().memoryUrl());
  }

  /** A client of the service at {@code url} (its base URL, as configured). */
  public MemoryClient(ServiceHttp http, ObjectMapper mapper, String url) {
    this.http = http;
    this.mapper = mapper;
    this.base = url.replaceAll("/+$", "") + "/api/v1";
  }

  /**
   * {@code POST /recall}: the memories matching a message and the procedures for it, from one
   * embedding of the message.
   */
  @WithSpan("MemoryClient.recall")
  public Uni<Recalled> recall(RecallRequest request, String bearer) {
    return http.call(SERVICE, HttpMethod.POST, base + "/recall", bearer, request)
        .map(
            reply ->
                new Recalled(
                    Json.elements(reply.body(), "hits").stream().map(this::hit).toList(),
                    procedures(reply.body())));
  }

  /** {@code GET /facts}: the user's current facts and preferences. */
  @WithSpan("MemoryClient.facts")
  public Uni<List<FactView>> facts(String bearer) {
    return http.call(SERVICE, HttpMethod.GET, base + "/facts", bearer, null)
        .map(reply -> Json.list(mapper, reply.body(), "facts", FactView.class, SERVICE));
  }

  /** {@code POST /memories/{id}/reinforce}. */
  @WithSpan("MemoryClient.reinforce")
  public Uni<Void> reinforce(UUID memoryId, String reason, String bearer) {
    String url = base + "/memories/" + memoryId + "/reinforce";
    return http.call(SERVICE, HttpMethod.POST, url, bearer, Map.of("reason", reason))
        .replaceWithVoid();
  }

  private List<ProcedureView> procedures(JsonNode body) {
    JsonNode procedures = body == null ? null : body.get("procedures");
    if (procedures == null || !procedures.isArray()) {
      return List.of();
    }
    List<ProcedureView> out = new ArrayList<>();
    procedures.forEach(p -> out.add(Json.read(mapper, p, ProcedureView.class, SERVICE)));
    return out;
  }

  private MemoryHit hit(JsonNode node) {
    JsonNode memory = node.has("memory") ? node.get("memory") : node;
    Map<String, Double> parts = new HashMap<>();
    JsonNode partsNode = node.has("parts") ? node.get("parts") : node.path("scores");
    partsNode
        .properties()
        .forEach(
            e -> {
              if (e.getValue().isNumber()) {
                parts.put(e.getKey(), e.getValue().asDouble());
              }
            });
    double score = node.path("score").asDouble(memory.path("strength").asDouble(0));
    return new MemoryHit(Json.read(mapper, memory, MemoryView.class, SERVICE), score, parts);
  }
}
