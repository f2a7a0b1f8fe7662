package dev.engram.system;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OTLP/HTTP trace receiver: accepts {@code ExportTraceServiceRequest} protobuf bodies
 * (any POST path, {@code /v1/traces} in practice) and keeps each span's service, ids, name and
 * kind. It decodes just the fields it needs of the protobuf wire format, so it needs no library.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One received span. */
  record Span(
      String service, String traceId, String spanId, String parentSpanId, String name, int kind) {
    @Override
    public String toString() {
      return service + ": " + name + " (kind " + kind + ", " + spanId + " <- " + parentSpanId + ")";
    }
  }

  final List<Span> spans = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger failures =
      new java.util.concurrent.atomic.AtomicInteger();
  private final HttpServer server;

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            InputStream in = exchange.getRequestBody();
            if ("gzip"
                .equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
              in = new GZIPInputStream(in);
            }
            byte[] body = unframe(in.readAllBytes());
            try {
              decodeRequest(body);
            } catch (RuntimeException e) {
              if (failures.incrementAndGet() <= 3) {
                java.nio.file.Files.write(
                    java.nio.file.Path.of("target", "otlp-failed-" + failures.get() + ".bin"),
                    body);
              }
              System.err.printf(
                  "OTLP receiver: undecodable request (%s, %s, %d bytes, starts %s): %s%n",
                  exchange.getRequestURI(),
                  exchange.getRequestHeaders().entrySet(),
                  body.length,
                  HexFormat.of().formatHex(body, 0, Math.min(16, body.length)),
                  e);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.start();
  }

  /** The endpoint for the services' exporters (which add {@code /v1/traces} themselves). */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Span> trace(String traceId) {
    return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A gRPC-framed body (flag byte, 4-byte length) without its frame. */
  private static byte[] unframe(byte[] body) throws IOException {
    if (body.length >= 5 && (body[0] == 0 || body[0] == 1)) {
      int length =
          ((body[1] & 0xff) << 24)
              | ((body[2] & 0xff) << 16)
              | ((body[3] & 0xff) << 8)
              | (body[4] & 0xff);
      if (length == body.length - 5) {
        byte[] message = java.util.Arrays.copyOfRange(body, 5, body.length);
        return body[0] == 1
            ? new GZIPInputStream(new java.io.ByteArrayInputStream(message)).readAllBytes()
            : message;
      }
    }
    return body;
  }

  // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
  private void decodeRequest(byte[] body) {
    Reader r = new Reader(body, 0, body.length);
    while (r.more()) {
      int tag = r.tag();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        decodeResourceSpans(r.sub());
      } else {
        r.skip(tag);
      }
    }
  }

  // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
  private void decodeResourceSpans(Reader r) {
    String service = "?";
    List<Reader> scopes = new ArrayList<>();
    while (r.more()) {
      int tag = r.tag();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        service = serviceName(r.sub(), service);
      } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
        scopes.add(r.sub());
      } else {
        r.skip(tag);
      }
    }
    for (Reader scope : scopes) {
      // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
      while (scope.more()) {
        int tag = scope.tag();
        if (tag >>> 3 == 2 && (tag & 7) == 2) {
          spans.add(decodeSpan(service, scope.sub()));
        } else {
          scope.skip(tag);
        }
      }
    }
  }

  // Resource { repeated KeyValue attributes = 1; } KeyValue { string key = 1; AnyValue value = 2; }
  // AnyValue { string string_value = 1; ... }
  private static String serviceName(Reader resource, String fallback) {
    String service = fallback;
    while (resource.more()) {
      int tag = resource.tag();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        Reader kv = resource.sub();
        String key = null;
        String value = null;
        while (kv.more()) {
          int t = kv.tag();
          if (t >>> 3 == 1 && (t & 7) == 2) {
            key = kv.string();
          } else if (t >>> 3 == 2 && (t & 7) == 2) {
            Reader any = kv.sub();
            while (any.more()) {
              int a = any.tag();
              if (a >>> 3 == 1 && (a & 7) == 2) {
                value = any.string();
              } else {
                any.skip(a);
              }
            }
          } else {
            kv.skip(t);
          }
        }
        if ("service.name".equals(key) && value != null) {
          service = value;
        }
      } else {
        resource.skip(tag);
      }
    }
    return service;
  }

  // Span { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
  //        string name = 5; SpanKind kind = 6; ... }
  private static Span decodeSpan(String service, Reader r) {
    String traceId = "";
    String spanId = "";
    String parent = "";
    String name = "";
    int kind = 0;
    while (r.more()) {
      int tag = r.tag();
      int field = tag >>> 3;
      if (field == 1 && (tag & 7) == 2) {
        traceId = HexFormat.of().formatHex(r.bytes());
      } else if (field == 2 && (tag & 7) == 2) {
        spanId = HexFormat.of().formatHex(r.bytes());
      } else if (field == 4 && (tag & 7) == 2) {
        parent = HexFormat.of().formatHex(r.bytes());
      } else if (field == 5 && (tag & 7) == 2) {
        name = r.string();
      } else if (field == 6 && (tag & 7) == 0) {
        kind = (int) r.varint();
      } else {
        r.skip(tag);
      }
    }
    return new Span(service, traceId, spanId, parent, name, kind);
  }

  /** The protobuf wire format, just enough of it. */
  private static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;

    Reader(byte[] buf, int from, int to) {
      this.buf = buf;
      this.pos = from;
      this.end = to;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = buf[pos++];
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalStateException("bad varint");
    }

    int tag() {
      return (int) varint();
    }

    Reader sub() {
      int length = (int) varint();
      Reader sub = new Reader(buf, pos, pos + length);
      pos += length;
      return sub;
    }

    byte[] bytes() {
      int length = (int) varint();
      byte[] out = new byte[length];
      System.arraycopy(buf, pos, out, 0, length);
      pos += length;
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> {
          int length = (int) varint(); // read before pos is, or the length's bytes are lost
          pos += length;
        }
        case 5 -> pos += 4;
        default -> throw new IllegalStateException("unsupported wire type " + (tag & 7));
      }
    }
  }
}
