package dev.engram.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Keeps the documents outside consumers read (docs/events.md, docs/asyncapi.yaml) in step with the
 * catalogue: every event is documented on its topic and points at its schema.
 */
class EventCatalogueDocsTest {

  private static final Path DOCS = Path.of("..", "docs");

  @ParameterizedTest
  @EnumSource(EventType.class)
  void eventsPageDocumentsEveryEventAndItsSchema(EventType type) throws IOException {
    String page = Files.readString(DOCS.resolve("events.md"));

    assertThat(page).contains("### `" + type.typeName() + "` (v" + type.version() + ")");
    assertThat(page).contains(schemaFile(type));
    assertThat(page.indexOf("## `" + type.topic() + "`"))
        .as("%s is listed under its topic", type.typeName())
        .isBetween(0, page.indexOf("### `" + type.typeName() + "`"));
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void asyncApiDocumentDescribesEveryEventWithItsSchema(EventType type) throws IOException {
    String asyncApi = Files.readString(DOCS.resolve("asyncapi.yaml"));

    assertThat(asyncApi).contains("name: " + type.typeName() + "\n");
    assertThat(asyncApi)
        .contains("$ref: '../event-contracts/src/main/resources/schemas/" + schemaFile(type) + "'");
    assertThat(Path.of("src/main/resources/schemas", schemaFile(type))).exists();
  }

  private static String schemaFile(EventType type) {
    return type.typeName() + ".v" + type.version() + ".schema.json";
  }
}
