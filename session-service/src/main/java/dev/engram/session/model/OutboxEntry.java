package dev.engram.session.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An event waiting in the transactional outbox: written in the transaction of the change it
 * describes, published to Kafka by the relay in {@link #id} order, then marked sent.
 */
@Entity
@Table(name = "outbox")
public class OutboxEntry {

  /** Assigned by PostgreSQL at insert, so that the order of rows is the order of the writes. */
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "event_id", nullable = false)
  public UUID eventId;

  /** The Kafka record key. */
  @Column(name = "user_id", nullable = false)
  public String userId;

  @Column(nullable = false)
  public String topic;

  @Column(name = "event_type", nullable = false)
  public String eventType;

  /** The CloudEvent, JSON-encoded: the Kafka record value. */
  @Column(nullable = false)
  public String payload;

  /** W3C trace context of the request that caused the event, sent as record headers. */
  public String traceparent;

  public String tracestate;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "sent_at")
  public Instant sentAt;
}
