package dev.engram.session.config;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.lookup.LookupUnlessProperty;
import jakarta.inject.Singleton;
import java.util.Collection;

/**
 * Spans are exported only when an operator asks for it ({@code engram.session.tracing.export=true}
 * with {@code quarkus.otel.exporter.otlp.endpoint}). Until then this exporter stands in for the
 * OTLP one (Quarkus installs OTLP only when no other exporter bean is available) and drops the
 * spans, so a service without a collector does not log failed exports. Tracing itself stays on: the
 * W3C trace context of every request still rides on the Kafka records the outbox publishes.
 */
@Singleton
@LookupUnlessProperty(
    name = "engram.session.tracing.export",
    stringValue = "true",
    lookupIfMissing = true)
public class DiscardingSpanExporter implements SpanExporter {

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
