package dev.engram.orchestrator.service.llm;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a server-sent-events byte stream into the {@code data} payloads of its events. Chunks may
 * end anywhere, even inside a line; multi-line data is joined with newlines (per the SSE spec). Not
 * thread-safe: one decoder per stream.
 */
public final class SseDecoder {

  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private byte[] carry = new byte[0];
  private final StringBuilder pending = new StringBuilder();
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;

  /**
   * Feeds a chunk of the UTF-8 byte stream: a character split between two chunks (network reads end
   * anywhere) is decoded once its last byte has come.
   */
  public List<String> feed(byte[] chunk) {
    ByteBuffer in = ByteBuffer.allocate(carry.length + chunk.length).put(carry).put(chunk).flip();
    CharBuffer out = CharBuffer.allocate(in.remaining());
    utf8.decode(in, out, false);
    carry = new byte[in.remaining()];
    in.get(carry);
    return feed(out.flip().toString());
  }

  /** Feeds a chunk of decoded text and returns the payloads of the events it completed. */
  public List<String> feed(String chunk) {
    pending.append(chunk);
    List<String> events = new ArrayList<>();
    int newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
      String line = pending.substring(0, newline);
      pending.delete(0, newline + 1);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        if (hasData) {
          events.add(data.toString());
        }
        data.setLength(0);
        hasData = false;
      } else if (line.startsWith("data:")) {
        if (hasData) {
          data.append('\n');
        }
        String value = line.substring(5);
        data.append(value.startsWith(" ") ? value.substring(1) : value);
        hasData = true;
      }
    }
    return events;
  }

  /** The payload of a last event that ended without a blank line, if any. */
  public List<String> finish() {
    if (carry.length > 0) {
      // a stream cut inside a character: what is left decodes as replacement characters
      pending.append(new String(carry, StandardCharsets.UTF_8));
      carry = new byte[0];
    }
    List<String> rest = pending.isEmpty() ? List.of() : feed("\n");
    if (rest.isEmpty() && hasData) {
      rest = List.of(data.toString());
      hasData = false;
    }
    return rest;
  }
}
