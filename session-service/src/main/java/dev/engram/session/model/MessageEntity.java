package dev.engram.session.model;

import dev.engram.events.MessageRole;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One message of a session, numbered from 1 in the order it was appended. */
@Entity
@Table(name = "messages")
public class MessageEntity {

  @Id public UUID id;

  @Column(name = "session_id", nullable = false, updatable = false)
  public UUID sessionId;

  @Column(name = "user_id", nullable = false, updatable = false)
  public String userId;

  @Column(nullable = false, updatable = false)
  public long sequence;

  @Convert(converter = MessageRoleConverter.class)
  @Column(nullable = false, updatable = false)
  public MessageRole role;

  @Column(nullable = false, updatable = false)
  public String content;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false, columnDefinition = "jsonb")
  public Map<String, Object> metadata;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt;

  /** The client's idempotency key it was appended with, unique in its session; null if none. */
  @Column(name = "idempotency_key", updatable = false)
  public String idempotencyKey;
}
