package dev.engram.session.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Writes the export document piece by piece: each call appends to one JSON document and returns the
 * bytes written since the previous call, so the document is sent in chunks and never held in memory
 * whole. Not thread-safe; one writer serves one export stream.
 */
final class ExportWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
  private final JsonGenerator json;

  ExportWriter(ObjectMapper mapper) {
    try {
      this.json = mapper.getFactory().createGenerator(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens the document: who and when, then the sessions array. */
  Buffer begin(String userId, Instant exportedAt) {
    return write(
        () -> {
          json.writeStartObject();
          json.writeStringField("userId", userId);
          json.writeStringField("exportedAt", exportedAt.toString());
          json.writeArrayFieldStart("sessions");
        });
  }

  /** Opens a session object (its fields, then its messages array). */
  Buffer beginSession(Object session) {
    return write(
        () -> {
          json.writeStartObject();
          json.writeObjectField("session", session);
          json.writeArrayFieldStart("messages");
        });
  }

  /** Appends messages to the open session. */
  Buffer messages(Iterable<?> messages) {
    return write(
        () -> {
          for (Object message : messages) {
            json.writeObject(message);
          }
        });
  }

  /** Closes the open session. */
  Buffer endSession() {
    return write(
        () -> {
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  /** Closes the document. */
  Buffer end() {
    return write(
        () -> {
          json.writeEndArray();
          json.writeEndObject();
          json.close();
        });
  }

  private Buffer write(JsonWrite step) {
    try {
      step.run();
      json.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Buffer chunk = Buffer.buffer(out.toByteArray());
    out.reset();
    return chunk;
  }

  @FunctionalInterface
  private interface JsonWrite {
    void run() throws IOException;
  }
}
