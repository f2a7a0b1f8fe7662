package dev.engram.session.model;

import dev.engram.events.SessionStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A user's conversation session: lifecycle state, labels and the counter of its messages. */
@Entity
@Table(name = "sessions")
public class SessionEntity {

  @Id public UUID id;

  @Column(name = "user_id", nullable = false, updatable = false)
  public String userId;

  @Column(nullable = false)
  public String title;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public SessionStatus status;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(nullable = false, columnDefinition = "text[]")
  public List<String> tags;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false, columnDefinition = "jsonb")
  public Map<String, Object> metadata;

  @Column(name = "parent_session_id")
  public UUID parentSessionId;

  /** The sequence number of the session's last message (0 before the first). */
  @Column(name = "last_sequence", nullable = false)
  public long lastSequence;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
