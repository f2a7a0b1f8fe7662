package dev.engram.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pins every event of the catalogue to a golden JSON document and its JSON Schema: the golden file
 * decodes into the payload record, encodes back to the same JSON, and validates against the schema,
 * and the schema describes exactly the record's fields.
 */
class GoldenEventsTest {

  private static final EventCodec CODEC = new EventCodec();
  private static final JsonSchemaFactory SCHEMAS =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig STRICT =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

  @ParameterizedTest
  @EnumSource(EventType.class)
  void goldenDocumentRoundTrips(EventType type) throws IOException {
    JsonNode golden = golden(type);

    CloudEvent<EventData> event = CODEC.fromTree(golden);

    assertThat(event.data()).isInstanceOf(type.dataClass());
    assertThat(event.eventType()).isEqualTo(type);
    assertThat(event.topic()).isEqualTo(type.topic());
    assertThat(CODEC.mapper().readTree(CODEC.encode(event))).isEqualTo(golden);
    assertThat(CODEC.decode(CODEC.encode(event))).isEqualTo(event);
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void goldenDocumentSatisfiesItsSchema(EventType type) {
    Set<ValidationMessage> errors = schema(type).validate(golden(type));

    assertThat(errors).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void schemaDescribesExactlyTheRecordFields(EventType type) {
    JsonNode dataSchema = read(type.schemaResource()).path("properties").path("data");
    Set<String> schemaFields = new TreeSet<>();
    dataSchema.path("properties").fieldNames().forEachRemaining(schemaFields::add);

    Set<String> recordFields =
        Arrays.stream(type.dataClass().getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(schemaFields).isEqualTo(recordFields);
    assertThat(dataSchema.path("additionalProperties").asBoolean(true)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void schemaRejectsAnEventWithoutItsRequiredData(EventType type) {
    ObjectNode broken = golden(type).deepCopy();
    ((ObjectNode) broken.get("data")).remove(requiredDataField(type));
    broken.put("unexpected", true);

    Set<ValidationMessage> errors = schema(type).validate(broken);

    assertThat(errors).hasSizeGreaterThanOrEqualTo(2);
  }

  private static String requiredDataField(EventType type) {
    return read(type.schemaResource())
        .path("properties")
        .path("data")
        .path("required")
        .get(0)
        .asText();
  }

  private static JsonSchema schema(EventType type) {
    return SCHEMAS.getSchema(read(type.schemaResource()), STRICT);
  }

  private static JsonNode golden(EventType type) {
    return read("/golden/" + type.typeName() + ".v" + type.version() + ".json");
  }

  private static JsonNode read(String resource) {
    try (InputStream in = GoldenEventsTest.class.getResourceAsStream(resource)) {
      assertThat(in).as("resource %s", resource).isNotNull();
      return CODEC.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
