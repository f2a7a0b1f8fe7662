package dev.engram.orchestrator.service.binding;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.orchestrator.api.ProblemException;
import dev.engram.orchestrator.config.OrchestratorConfig;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Optional;

/**
 * Users' snapshots in Redis, one JSON document per user under {@code
 * engram:orchestrator:state:<userId>}, expiring after {@code stm.snapshot-ttl} without a save.
 * Redis failures become 503 {@code unavailable} problems.
 */
@ApplicationScoped
public class SnapshotStore {

  static final String PREFIX = "engram:orchestrator:state:";

  private final ReactiveValueCommands<String, String> values;
  private final ReactiveKeyCommands<String> keys;
  private final ObjectMapper mapper;
  private final long ttlMillis;

  public SnapshotStore(
      ReactiveRedisDataSource redis, ObjectMapper mapper, OrchestratorConfig config) {
    this.values = redis.value(String.class);
    this.keys = redis.key();
    this.mapper = mapper;
    this.ttlMillis = config.stm().snapshotTtl().toMillis();
  }

  @WithSpan("SnapshotStore.load")
  public Uni<Optional<StmSnapshot>> load(String userId) {
    return values
        .get(PREFIX + userId)
        .map(json -> Optional.ofNullable(json).map(this::decode))
        .onFailure(e -> !(e instanceof ProblemException))
        .transform(e -> ProblemException.unavailable("Redis cannot be read: " + e.getMessage()));
  }

  @WithSpan("SnapshotStore.save")
  public Uni<Void> save(StmSnapshot snapshot) {
    return values
        .set(PREFIX + snapshot.userId(), encode(snapshot), new SetArgs().px(ttlMillis))
        .onFailure()
        .transform(e -> ProblemException.unavailable("Redis cannot be written: " + e.getMessage()));
  }

  @WithSpan("SnapshotStore.delete")
  public Uni<Void> delete(String userId) {
    return keys.del(PREFIX + userId)
        .replaceWithVoid()
        .onFailure()
        .transform(e -> ProblemException.unavailable("Redis cannot be written: " + e.getMessage()));
  }

  private String encode(StmSnapshot snapshot) {
    try {
      return mapper.writeValueAsString(snapshot);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode the snapshot", e);
    }
  }

  private StmSnapshot decode(String json) {
    try {
      return mapper.readValue(json, StmSnapshot.class);
    } catch (IOException e) {
      // A snapshot this version cannot read is treated as absent rather than blocking the bind.
      return null;
    }
  }
}
