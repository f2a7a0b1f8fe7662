package dev.engram.session.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** session-service's own settings, under {@code engram.session}. */
@ConfigMapping(prefix = "engram.session")
public interface SessionConfig {

  /**
   * The PostgreSQL database on {@code ENGRAM_PG_HOST:ENGRAM_PG_PORT}; the JDBC (Flyway) and
   * reactive URLs are built from it.
   */
  @WithDefault("engram_session")
  String database();

  /** Limits on what a client may send. */
  Limits limits();

  /** Tracing. */
  Tracing tracing();

  /** Page sizes of the listing endpoints. */
  Paging paging();

  /** The transactional outbox and its relay to Kafka. */
  Outbox outbox();

  /** Tracing. */
  interface Tracing {

    /**
     * Whether spans are exported over OTLP (to {@code quarkus.otel.exporter.otlp.endpoint}); when
     * false they are dropped, while trace context still propagates to the published events.
     */
    @WithDefault("false")
    boolean export();
  }

  /** Limits on what a client may send. */
  interface Limits {

    /** Largest message content, in UTF-8 bytes; larger content answers 413. */
    @WithDefault("32768")
    int maxContentBytes();

    /** Largest serialised {@code metadata} object of a session or message, in UTF-8 bytes. */
    @WithDefault("16384")
    int maxMetadataBytes();
  }

  /** Page sizes of the listing endpoints. */
  interface Paging {

    /** Items per page when the request does not say. */
    @WithDefault("50")
    int defaultLimit();

    /** The largest page (and context window) a request may ask for. */
    @WithDefault("200")
    int maxLimit();

    /** Messages returned by {@code /context} when the request does not say. */
    @WithDefault("20")
    int defaultContextLimit();

    /** Rows read per query while streaming an export; bounds the memory one export holds. */
    @WithDefault("200")
    int exportPageSize();
  }

  /** The transactional outbox and its relay to Kafka. */
  interface Outbox {

    /** Whether this replica runs the relay (one replica at a time publishes, by advisory lock). */
    @WithDefault("true")
    boolean relayEnabled();

    /** How often the relay looks for unsent rows when no local write woke it. */
    @WithDefault("PT0.2S")
    Duration pollInterval();

    /** Most rows published in one relay round. */
    @WithDefault("500")
    int batchSize();

    /** How long a relay round waits for Kafka's acknowledgements before it retries. */
    @WithDefault("PT30S")
    Duration publishTimeout();

    /** Pause after a failed round (Kafka or PostgreSQL down) before the next attempt. */
    @WithDefault("PT1S")
    Duration retryBackoff();

    /** How long sent rows are kept before they are purged. */
    @WithDefault("PT10M")
    Duration retention();

    /** The PostgreSQL advisory lock key that makes one relay publish at a time. */
    @WithDefault("7346012")
    long lockKey();
  }
}
