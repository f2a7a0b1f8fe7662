package dev.engram.orchestrator.service.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a server-sent-events byte stream into the {@code data} payloads of its events. Chunks may
 * end anywhere, even inside a line; multi-line data is joined with newlines (per the SSE spec). Not
 * thread-safe: one decoder per stream.
 */
public final class SseDecoder {

  private final StringBuilder pending = new StringBuilder();
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;

  /** Feeds a chunk and returns the payloads of the events it completed. */
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
    List<String> rest = pending.isEmpty() ? List.of() : feed("\n");
    if (rest.isEmpty() && hasData) {
      rest = List.of(data.toString());
      hasData = false;
    }
    return rest;
  }
}
