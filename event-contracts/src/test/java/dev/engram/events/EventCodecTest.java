package dev.engram.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  private final EventCodec codec = new EventCodec();

  @Test
  void newEventTakesTypeTopicAndVersionFromItsPayload() {
    var data =
        new MessageAppended(
            UUID.randomUUID(),
            UUID.randomUUID(),
            1,
            MessageRole.ASSISTANT,
            "hello",
            null,
            Instant.parse("2026-11-20T10:00:00Z"));

    CloudEvent<MessageAppended> event = CloudEvent.of(Sources.SESSION_SERVICE, "bob", data);

    assertThat(event.type()).isEqualTo("message.appended");
    assertThat(event.topic()).isEqualTo(Topics.SESSIONS);
    assertThat(event.version()).isEqualTo(1);
    assertThat(event.key()).isEqualTo("bob");
    assertThat(event.data().metadata()).isEmpty();
    assertThat(codec.decode(codec.encodeToString(event))).isEqualTo(event);
  }

  @Test
  void systemEventsAreKeyedBySource() {
    var event = CloudEvent.of(Sources.CONTAINER_BROKER, null, new PoolResized(1, 0, 2, 0, 2, 10));

    assertThat(event.key()).isEqualTo(Sources.CONTAINER_BROKER);
    assertThat(codec.toTree(event).has("userid")).isFalse();
  }

  @Test
  void unknownPayloadFieldsFromNewerProducersAreIgnored() {
    String json =
        """
        {"specversion":"1.0","id":"e1","type":"memory.archived","source":"/x",
         "time":"2026-11-20T10:00:00Z","userid":"u","dataversion":1,
         "data":{"memoryId":"7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
                 "archivedAt":"2026-11-20T10:00:00Z","addedLater":42}}
        """;

    var event = codec.decode(json);

    assertThat(event.data()).isInstanceOf(MemoryArchived.class);
  }

  @Test
  void refusesWhatItCannotInterpret() {
    String base =
        """
        {"specversion":"1.0","id":"e1","type":"%s","source":"/x","time":"%s",
         "userid":"u","dataversion":%d,"data":{}}
        """;

    assertThatThrownBy(() -> codec.decode(base.formatted("no.such", "2026-11-20T10:00:00Z", 1)))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("Unknown event type");
    assertThatThrownBy(() -> codec.decode(base.formatted("user.erased", "2026-11-20T10:00:00Z", 2)))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("version 2");
    assertThatThrownBy(() -> codec.decode(base.formatted("user.erased", "yesterday", 1)))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("Malformed");
    assertThatThrownBy(() -> codec.decode("{\"specversion\":\"1.0\"}"))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("'type'");
    assertThatThrownBy(() -> codec.decode("not json")).isInstanceOf(EventDecodingException.class);
  }

  @Test
  void roleIsLowerCaseOnTheWireAndUnknownRolesAreRefused() {
    assertThat(MessageRole.fromWire("system")).isEqualTo(MessageRole.SYSTEM);
    assertThat(codec.mapper().valueToTree(MessageRole.USER).asText()).isEqualTo("user");
    assertThatThrownBy(() -> MessageRole.fromWire("robot"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyTopicCarriesEvents() {
    for (String topic : Topics.ALL) {
      assertThat(List.of(EventType.values())).anyMatch(t -> t.topic().equals(topic));
    }
    assertThat(EventType.byName("cluster.changed")).contains(EventType.CLUSTER_CHANGED);
    assertThat(
            new ClusterChanged(
                    UUID.randomUUID(), ClusterChange.CREATED, "x", 1, 1, null, Instant.EPOCH)
                .relatedClusterIds())
        .isEmpty();
  }
}
