package dev.engram.orchestrator.service.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {

  @Test
  void eventsSplitAnywhereAcrossChunksAreReassembled() {
    String stream = "data: {\"a\":1}\n\ndata: {\"b\":2}\r\n\r\n: comment\n\ndata: [DONE]\n\n";
    for (int split = 1; split < stream.length(); split++) {
      SseDecoder decoder = new SseDecoder();
      List<String> events = new ArrayList<>(decoder.feed(stream.substring(0, split)));
      events.addAll(decoder.feed(stream.substring(split)));
      events.addAll(decoder.finish());
      assertThat(events)
          .as("split at %d", split)
          .containsExactly("{\"a\":1}", "{\"b\":2}", "[DONE]");
    }
  }

  @Test
  void multiLineDataIsJoinedAndAnUnterminatedLastEventIsKept() {
    SseDecoder decoder = new SseDecoder();
    assertThat(decoder.feed("data: one\ndata:two\n\ndata: last")).containsExactly("one\ntwo");
    assertThat(decoder.finish()).containsExactly("last");
  }

  @Test
  void aCharacterSplitBetweenTwoChunksIsDecodedWhole() {
    byte[] stream =
        "data: {\"delta\":\"Grüße aus Zürich, 東京 👋\"}\n\n"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int split = 1; split < stream.length; split++) {
      SseDecoder decoder = new SseDecoder();
      java.util.List<String> events = new java.util.ArrayList<>();
      events.addAll(decoder.feed(java.util.Arrays.copyOfRange(stream, 0, split)));
      events.addAll(decoder.feed(java.util.Arrays.copyOfRange(stream, split, stream.length)));
      events.addAll(decoder.finish());
      assertThat(events)
          .as("split at byte %d", split)
          .containsExactly("{\"delta\":\"Grüße aus Zürich, 東京 👋\"}");
    }
  }
}
