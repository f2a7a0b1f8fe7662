package dev.engram.memory.messaging;

import dev.engram.events.CloudEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Continues the producer's trace into ingest: a consumer span per record whose parent is the W3C
 * {@code traceparent} in the record's headers, and the {@code traceparent} that the events caused
 * by it carry on.
 */
@ApplicationScoped
public class IngestTracing {

  private static final TextMapGetter<ConsumerRecord<String, byte[]>> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ConsumerRecord<String, byte[]> record) {
          return StreamSupport.stream(record.headers().spliterator(), false)
              .map(Header::key)
              .toList();
        }

        @Override
        public String get(ConsumerRecord<String, byte[]> record, String key) {
          Header header = record == null ? null : record.headers().lastHeader(key);
          return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
      };

  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;

  public IngestTracing(OpenTelemetry openTelemetry, Tracer tracer) {
    this.openTelemetry = openTelemetry;
    this.tracer = tracer;
  }

  /** Starts the consumer span of one record (the caller ends it). */
  public Span start(ConsumerRecord<String, byte[]> record, CloudEvent<?> event) {
    Context parent =
        openTelemetry
            .getPropagators()
            .getTextMapPropagator()
            .extract(Context.root(), record, HEADERS);
    return tracer
        .spanBuilder("engram.sessions process")
        .setParent(parent)
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute("messaging.system", "kafka")
        .setAttribute("messaging.destination.name", record.topic())
        .setAttribute("messaging.message.id", event.id())
        .setAttribute("cloudevents.event_type", event.type())
        .startSpan();
  }

  /** The W3C traceparent of a span, for the records it causes. */
  public String traceparent(Span span) {
    Map<String, String> carrier = new HashMap<>();
    openTelemetry
        .getPropagators()
        .getTextMapPropagator()
        .inject(Context.root().with(span), carrier, Map::put);
    return carrier.get("traceparent");
  }

  /** The traceparent of the current span (an HTTP request's), or null. */
  public String currentTraceparent() {
    return Span.current().getSpanContext().isValid() ? traceparent(Span.current()) : null;
  }
}
