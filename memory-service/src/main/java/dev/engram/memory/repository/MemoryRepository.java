package dev.engram.memory.repository;

import static dev.engram.memory.repository.Rows.instant;
import static dev.engram.memory.repository.Rows.ts;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.index.TermCounts;
import dev.engram.memory.index.VectorCodec;
import dev.engram.memory.index.VectorEntry;
import dev.engram.memory.model.Memory;
import dev.engram.memory.model.MemoryFilter;
import dev.engram.memory.model.StoredMemory;
import dev.engram.memory.model.TraceUpdate;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The {@code memory} table. Methods taking a {@link SqlClient} join the caller's transaction. */
@ApplicationScoped
public class MemoryRepository {

  static final String COLUMNS =
      "id, user_id, type, state, content, session_id, source_message_id, role, sequence, metadata,"
          + " importance, valence, intensity, salience, strength, stability_days, access_count,"
          + " last_accessed_at, reinforced_at, occurred_at, created_at, state_changed_at,"
          + " delete_after, cluster_id, task, steps, success_count, failure_count";

  /** {@link #COLUMNS} of a table aliased {@code m}. */
  private static final String M_COLUMNS = COLUMNS.replaceAll("(\\w+)", "m.$1");

  private static final String INSERT =
      "insert into memory ("
          + COLUMNS
          + ", search_text, embedding, forget_at, embedding_model) values ($1, $2, $3, $4, $5, $6,"
          + " $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,"
          + " $24, $25, $26, $27, $28, $29, $30, $31, $32) returning id, "
          + Terms.OF_TSV;

  private final Pool pool;
  private final String embeddingModel;
  private final int dimension;

  public MemoryRepository(Pool pool, Embedder embedder) {
    this.pool = pool;
    this.embeddingModel = embedder.modelId();
    this.dimension = embedder.dimension();
  }

  public Pool pool() {
    return pool;
  }

  /**
   * Inserts the memories and returns each one's lexical terms, as PostgreSQL made them (the stored
   * {@code tsvector}), for the in-memory index.
   */
  public Uni<Map<UUID, TermCounts>> insert(SqlClient client, List<StoredMemory> memories) {
    if (memories.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    List<Tuple> tuples = new ArrayList<>(memories.size());
    for (StoredMemory stored : memories) {
      Memory m = stored.memory();
      tuples.add(
          Tuple.from(
              new Object[] {
                m.id(),
                m.userId(),
                m.type().name(),
                m.state().name(),
                m.content(),
                m.sessionId(),
                m.sourceMessageId(),
                m.role(),
                m.sequence(),
                Rows.json(m.metadata()),
                m.importance(),
                m.valence(),
                m.intensity(),
                m.salience(),
                m.strength(),
                m.stabilityDays(),
                m.accessCount(),
                ts(m.lastAccessedAt()),
                ts(m.reinforcedAt()),
                ts(m.occurredAt()),
                ts(m.createdAt()),
                ts(m.stateChangedAt()),
                ts(m.deleteAfter()),
                m.clusterId(),
                m.task(),
                Rows.json(m.steps()),
                m.successCount(),
                m.failureCount(),
                stored.searchText(),
                io.vertx.core.buffer.Buffer.buffer(VectorCodec.toBytes(stored.embedding())),
                ts(stored.forgetAt()),
                embeddingModel
              }));
    }
    return client
        .preparedQuery(INSERT)
        .executeBatch(tuples)
        .map(
            result -> {
              Map<UUID, TermCounts> terms = new HashMap<>();
              for (RowSet<Row> rows = result; rows != null; rows = rows.next()) {
                for (Row r : rows) {
                  terms.put(r.getUUID("id"), Terms.of(r));
                }
              }
              return terms;
            });
  }

  public Uni<Optional<Memory>> find(String userId, UUID id) {
    return pool.preparedQuery("select " + COLUMNS + " from memory where id = $1 and user_id = $2")
        .execute(Tuple.of(id, userId))
        .map(
            rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  /** The user's memories with these ids (missing ones are left out). */
  public Uni<Map<UUID, Memory>> findAll(SqlClient client, String userId, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    // one primary-key lookup per id (a plain "id = any($2) and user_id = $1" lets the planner
    // AND in a scan of the user's whole index entry, which grows with the user's memories)
    return client
        .preparedQuery(
            "select "
                + M_COLUMNS
                + " from unnest($2::uuid[]) as k(id) join memory m on m.id = k.id where m.user_id"
                + " = $1")
        .execute(Tuple.of(userId, ids.toArray(UUID[]::new)))
        .map(
            rows -> {
              Map<UUID, Memory> out = new HashMap<>();
              for (Row row : rows) {
                Memory m = map(row);
                out.put(m.id(), m);
              }
              return out;
            });
  }

  /** A page of the user's memories, newest first, after the cursor (created_at, id). */
  public Uni<List<Memory>> list(
      String userId, MemoryFilter filter, Instant afterCreated, UUID afterId, int limit) {
    List<Object> params = new ArrayList<>(List.of(userId));
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from memory where user_id = $1");
    appendFilter(sql, params, filter);
    if (afterCreated != null) {
      params.add(ts(afterCreated));
      params.add(afterId);
      sql.append(" and (created_at, id) < ($")
          .append(params.size() - 1)
          .append(", $")
          .append(params.size())
          .append(")");
    }
    params.add(limit);
    sql.append(" order by created_at desc, id desc limit $").append(params.size());
    return pool.preparedQuery(sql.toString())
        .execute(Tuple.from(params))
        .map(rows -> rows.stream().map(MemoryRepository::map).toList());
  }

  /** The most recent members of a cluster. */
  public Uni<List<Memory>> members(String userId, UUID clusterId, int limit) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from memory where user_id = $1 and cluster_id = $2 order by created_at desc"
                + " limit $3")
        .execute(Tuple.of(userId, clusterId, limit))
        .map(rows -> rows.stream().map(MemoryRepository::map).toList());
  }

  /**
   * The lexemes of each word, made alone (an empty array for a stop word): words are tokens of
   * their own, so these are the lexemes they make in any text.
   */
  public Uni<Map<String, String[]>> lexemesOfWords(List<String> words) {
    return pool.preparedQuery(
            "select w.word, array(select lexeme from unnest(to_tsvector('english', w.word))) as"
                + " lexemes from unnest($1::text[]) as w(word)")
        .execute(Tuple.of(words.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, String[]> out = new HashMap<>();
              for (Row r : rows) {
                out.put(r.getString("word"), r.getArrayOfStrings("lexemes"));
              }
              return out;
            });
  }

  private static void appendFilter(StringBuilder sql, List<Object> params, MemoryFilter filter) {
    if (filter.types().size() < MemoryType.values().length) {
      params.add(filter.types().stream().map(Enum::name).toArray(String[]::new));
      sql.append(" and type = any($").append(params.size()).append(")");
    }
    if (filter.states().size() < MemoryState.values().length) {
      params.add(filter.states().stream().map(Enum::name).toArray(String[]::new));
      sql.append(" and state = any($").append(params.size()).append(")");
    }
    if (filter.sessionId() != null) {
      params.add(filter.sessionId());
      sql.append(" and session_id = $").append(params.size());
    }
    if (filter.from() != null) {
      params.add(ts(filter.from()));
      sql.append(" and occurred_at >= $").append(params.size());
    }
    if (filter.to() != null) {
      params.add(ts(filter.to()));
      sql.append(" and occurred_at <= $").append(params.size());
    }
  }

  /**
   * Every memory of a user as the in-memory index holds it: vector and lexical terms. A vector of
   * another model than the current one (not re-embedded yet, {@link
   * dev.engram.memory.embedding.ReEmbedding}) is left out as a zero vector: it would not compare
   * with a query's, so such a memory is found by its words only until it is re-embedded.
   */
  public Uni<List<VectorEntry>> vectors(String userId) {
    return pool.preparedQuery(
            "select id, type, state, occurred_at, session_id, case when embedding_model = $2 then"
                + " embedding end as embedding, "
                + Terms.OF_TSV
                + " from memory where user_id = $1")
        .execute(Tuple.of(userId, embeddingModel))
        .map(
            rows -> {
              List<VectorEntry> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(
                    new VectorEntry(
                        r.getUUID("id"),
                        MemoryType.valueOf(r.getString("type")),
                        MemoryState.valueOf(r.getString("state")),
                        r.getOffsetDateTime("occurred_at").toInstant(),
                        r.getUUID("session_id"),
                        vector(r),
                        Terms.of(r)));
              }
              return out;
            });
  }

  private float[] vector(Row r) {
    var bytes = r.getBuffer("embedding");
    return bytes == null ? new float[dimension] : VectorCodec.fromBytes(bytes.getBytes());
  }

  /** The content of earlier messages, keyed "sessionId/sequence". */
  public Uni<Map<String, String>> contents(
      String userId, List<UUID> sessionIds, List<Long> sequences) {
    if (sessionIds.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return pool.preparedQuery(
            "select m.session_id, m.sequence, m.search_text from memory m join unnest($2::uuid[],"
                + " $3::bigint[]) as k(session_id, sequence) on m.session_id = k.session_id and"
                + " m.sequence = k.sequence where m.user_id = $1 and m.type = 'EPISODIC'")
        .execute(Tuple.of(userId, sessionIds.toArray(UUID[]::new), sequences.toArray(Long[]::new)))
        .map(
            rows -> {
              Map<String, String> out = new HashMap<>();
              for (Row r : rows) {
                out.put(
                    r.getUUID("session_id") + "/" + r.getLong("sequence"),
                    r.getString("search_text"));
              }
              return out;
            });
  }

  /**
   * Writes new traces in one statement (the updates' arrays joined to the table): one statement per
   * call however many memories, instead of one per memory. A memory updated twice in {@code
   * updates} gets its last update, as if they were written one after another.
   */
  public Uni<Void> updateTraces(SqlClient client, List<TraceUpdate> updates) {
    if (updates.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Map<UUID, TraceUpdate> last = new java.util.LinkedHashMap<>();
    updates.forEach(u -> last.put(u.id(), u));
    int n = last.size();
    UUID[] ids = new UUID[n];
    String[] states = new String[n];
    Double[] strengths = new Double[n];
    Double[] stabilities = new Double[n];
    java.time.OffsetDateTime[] reinforced = new java.time.OffsetDateTime[n];
    Long[] accesses = new Long[n];
    java.time.OffsetDateTime[] accessed = new java.time.OffsetDateTime[n];
    java.time.OffsetDateTime[] forget = new java.time.OffsetDateTime[n];
    java.time.OffsetDateTime[] deleteAfter = new java.time.OffsetDateTime[n];
    java.time.OffsetDateTime[] stateChanged = new java.time.OffsetDateTime[n];
    int i = 0;
    for (TraceUpdate u : last.values()) {
      ids[i] = u.id();
      states[i] = u.state().name();
      strengths[i] = u.strength();
      stabilities[i] = u.stabilityDays();
      reinforced[i] = ts(u.reinforcedAt());
      accesses[i] = u.accessCount();
      accessed[i] = ts(u.lastAccessedAt());
      forget[i] = ts(u.forgetAt());
      deleteAfter[i] = ts(u.deleteAfter());
      stateChanged[i] = ts(u.stateChangedAt());
      i++;
    }
    return client
        .preparedQuery(UPDATE_TRACES)
        .execute(
            Tuple.from(
                new Object[] {
                  ids,
                  states,
                  strengths,
                  stabilities,
                  reinforced,
                  accesses,
                  accessed,
                  forget,
                  deleteAfter,
                  stateChanged
                }))
        .replaceWithVoid();
  }

  private static final String UPDATE_TRACES =
      "update memory m set state = u.state, strength = u.strength, stability_days ="
          + " u.stability_days, reinforced_at = u.reinforced_at, access_count = u.access_count,"
          + " last_accessed_at = u.last_accessed_at, forget_at = u.forget_at, delete_after ="
          + " u.delete_after, state_changed_at = u.state_changed_at from unnest($1::uuid[],"
          + " $2::text[], $3::float8[], $4::float8[], $5::timestamptz[], $6::int8[],"
          + " $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[]) as"
          + " u(id, state, strength, stability_days, reinforced_at, access_count,"
          + " last_accessed_at, forget_at, delete_after, state_changed_at) where m.id = u.id";

  public Uni<Void> countOutcome(SqlClient client, UUID id, boolean success) {
    String column = success ? "success_count" : "failure_count";
    return client
        .preparedQuery("update memory set " + column + " = " + column + " + 1 where id = $1")
        .execute(Tuple.of(id))
        .replaceWithVoid();
  }

  /** Moves memories to ARCHIVED (a superseded fact's memory). */
  public Uni<Void> archive(SqlClient client, List<UUID> ids, Instant at) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return client
        .preparedQuery(
            "update memory set state = 'ARCHIVED', state_changed_at = $2, delete_after = null"
                + " where id = any($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new), ts(at)))
        .replaceWithVoid();
  }

  public Uni<Boolean> delete(SqlClient client, String userId, UUID id) {
    return client
        .preparedQuery(ClusterRepository.deletingMemories("id = $1 and user_id = $2"))
        .execute(Tuple.of(id, userId))
        .map(rows -> rows.iterator().next().getInteger("deleted") > 0);
  }

  public Uni<Integer> deleteUser(SqlClient client, String userId) {
    return client
        .preparedQuery("delete from memory where user_id = $1")
        .execute(Tuple.of(userId))
        .map(rows -> rows.rowCount());
  }

  static Memory map(Row r) {
    return new Memory(
        r.getUUID("id"),
        r.getString("user_id"),
        MemoryType.valueOf(r.getString("type")),
        MemoryState.valueOf(r.getString("state")),
        r.getString("content"),
        r.getUUID("session_id"),
        r.getUUID("source_message_id"),
        r.getString("role"),
        r.getLong("sequence"),
        r.getJsonObject("metadata").getMap(),
        r.getDouble("importance"),
        r.getDouble("valence"),
        r.getDouble("intensity"),
        r.getDouble("salience"),
        r.getDouble("strength"),
        r.getDouble("stability_days"),
        r.getLong("access_count"),
        instant(r.getOffsetDateTime("last_accessed_at")),
        instant(r.getOffsetDateTime("reinforced_at")),
        instant(r.getOffsetDateTime("occurred_at")),
        instant(r.getOffsetDateTime("created_at")),
        instant(r.getOffsetDateTime("state_changed_at")),
        instant(r.getOffsetDateTime("delete_after")),
        r.getUUID("cluster_id"),
        r.getString("task"),
        Rows.strings(r.getJsonArray("steps")),
        r.getInteger("success_count"),
        r.getInteger("failure_count"));
  }
}
