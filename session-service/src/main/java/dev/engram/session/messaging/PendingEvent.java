package dev.engram.session.messaging;

/**
 * An unsent outbox row as the relay reads it.
 *
 * @param id the row's position in the outbox
 * @param key the Kafka record key (the user id)
 * @param payload the CloudEvent JSON
 * @param traceparent W3C trace context of the originating request, or null
 * @param tracestate W3C trace state, or null
 */
public record PendingEvent(
    long id, String topic, String key, String payload, String traceparent, String tracestate) {}
