package dev.engram.orchestrator.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Reading other services' JSON tolerantly: unknown fields ignored, common list shapes accepted. */
final class Json {

  private static final List<String> LIST_FIELDS =
      List.of("items", "data", "content", "results", "hits", "messages", "sessions");

  private Json() {}

  static <T> T read(ObjectMapper mapper, JsonNode node, Class<T> type, String service) {
    try {
      return mapper.treeToValue(node, type);
    } catch (Exception e) {
      throw new IllegalStateException("Unexpected " + service + " answer: " + e.getMessage(), e);
    }
  }

  /** The elements of {@code node} if it is an array, else of its first array-valued list field. */
  static List<JsonNode> elements(JsonNode node, String preferred) {
    JsonNode array = node;
    if (node != null && !node.isArray()) {
      array = node.get(preferred);
      for (String name : LIST_FIELDS) {
        if (array == null || !array.isArray()) {
          array = node.get(name);
        }
      }
    }
    List<JsonNode> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(out::add);
    }
    return out;
  }

  static <T> List<T> list(
      ObjectMapper mapper, JsonNode node, String preferred, Class<T> type, String service) {
    return elements(node, preferred).stream().map(e -> read(mapper, e, type, service)).toList();
  }
}
