package dev.engram.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The keys of {@code turn.completed}'s {@code contextItemsBySource}: named once in {@link
 * TurnContextSource}, described by the schema and the catalogue, and an open set (a key a consumer
 * does not know yet validates and decodes).
 */
class TurnContextSourceTest {

  private static final EventCodec CODEC = new EventCodec();

  @Test
  void everySourceHasItsOwnKeyAndTheSessionIsNotTheParent() {
    Set<String> keys =
        Arrays.stream(TurnContextSource.values())
            .map(TurnContextSource::key)
            .collect(Collectors.toSet());

    assertThat(keys).hasSize(TurnContextSource.values().length);
    assertThat(TurnContextSource.SESSION.key()).isEqualTo("session");
    assertThat(TurnContextSource.PARENT.key()).isEqualTo("parent");
    assertThat(TurnContextSource.ofKey("long-term")).contains(TurnContextSource.LONG_TERM);
    assertThat(TurnContextSource.ofKey("mood")).isEmpty();
  }

  @Test
  void theSchemaDescribesExactlyTheKnownKeys() throws IOException {
    JsonNode bySource = bySourceSchema();
    Set<String> described = new TreeSet<>();
    bySource.path("properties").fieldNames().forEachRemaining(described::add);

    assertThat(described).isEqualTo(knownKeys());
    assertThat(bySource.path("additionalProperties").path("type").asText()).isEqualTo("integer");
  }

  @Test
  void theGoldenEventCountsEverySourceAndTheCountsAddUp() throws IOException {
    TurnCompleted golden = (TurnCompleted) CODEC.fromTree(golden()).data();

    assertThat(golden.contextItemsBySource().keySet()).isEqualTo(knownKeys());
    assertThat(golden.itemsFrom(TurnContextSource.SESSION)).isEqualTo(1);
    assertThat(golden.itemsFrom(TurnContextSource.PARENT)).isEqualTo(1);
    assertThat(golden.contextItemsBySource().values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(golden.contextItems());
  }

  @Test
  void aKeyAddedLaterValidatesAndDecodesAndANegativeCountIsRejected() throws IOException {
    ObjectNode newer = golden().deepCopy();
    ObjectNode counts = (ObjectNode) newer.path("data").path("contextItemsBySource");
    counts.put("mood", 2);
    counts.remove("procedures");

    assertThat(schema().validate(newer)).isEmpty();
    TurnCompleted decoded = (TurnCompleted) CODEC.fromTree(newer).data();
    assertThat(decoded.itemsFrom(TurnContextSource.SESSION)).isEqualTo(1);
    assertThat(decoded.itemsFrom(TurnContextSource.PROCEDURES)).isZero();

    counts.put("session", -1);
    assertThat(schema().validate(newer)).isNotEmpty();
  }

  @Test
  void theCatalogueNamesEveryKey() throws IOException {
    String page = Files.readString(Path.of("..", "docs", "events.md"));
    int from = page.indexOf("### `turn.completed`");
    int to = page.indexOf("\n#", from + 1);
    String section = page.substring(from, to < 0 ? page.length() : to);

    for (TurnContextSource source : TurnContextSource.values()) {
      assertThat(section).contains("| `" + source.key() + "` |");
    }
  }

  private static Set<String> knownKeys() {
    return Arrays.stream(TurnContextSource.values())
        .map(TurnContextSource::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static JsonSchema schema() throws IOException {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(
            read(EventType.TURN_COMPLETED.schemaResource()),
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
  }

  private static JsonNode bySourceSchema() throws IOException {
    return read(EventType.TURN_COMPLETED.schemaResource())
        .path("properties")
        .path("data")
        .path("properties")
        .path("contextItemsBySource");
  }

  private static JsonNode golden() throws IOException {
    return read("/golden/turn.completed.v1.json");
  }

  private static JsonNode read(String resource) throws IOException {
    try (InputStream in = TurnContextSourceTest.class.getResourceAsStream(resource)) {
      assertThat(in).as("resource %s", resource).isNotNull();
      return CODEC.mapper().readTree(in);
    }
  }
}
