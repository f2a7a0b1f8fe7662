package dev.engram.memory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LoCoMo long-conversation data (read from its file, never copied): turns with their session
 * dates, and the questions of categories 1-4 with their evidence turns.
 */
public final class Locomo {

  public record Turn(
      String diaId, int session, int sequence, String speaker, String text, Instant at) {}

  public record Question(String text, int category, Set<String> evidence) {}

  public record Sample(
      int index, String speakerA, String speakerB, List<Turn> turns, List<Question> questions) {}

  private static final DateTimeFormatter DATE =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("h:mm a 'on' d MMMM, yyyy")
          .toFormatter(Locale.ENGLISH);
  private static final Pattern EVIDENCE = Pattern.compile("D:?(\\d+):(\\d+)");

  private Locomo() {}

  public static Path defaultPath() {
    String configured = System.getProperty("locomo.path");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    // memory-service/ is the working directory of its tests; the data sits beside the repository
    return Path.of("../../shared/datasets/locomo/locomo10.json");
  }

  public static List<Sample> load(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode sample = root.get(i);
      JsonNode conversation = sample.get("conversation");
      List<Turn> turns = new ArrayList<>();
      for (int s = 1; conversation.has("session_" + s); s++) {
        JsonNode session = conversation.get("session_" + s);
        Instant start =
            LocalDateTime.parse(
                    conversation.get("session_" + s + "_date_time").asText().trim(), DATE)
                .toInstant(ZoneOffset.UTC);
        for (int j = 0; j < session.size(); j++) {
          JsonNode turn = session.get(j);
          String text = turn.get("text").asText();
          if (turn.hasNonNull("blip_caption")) {
            text = text + " [shares a photo: " + turn.get("blip_caption").asText() + "]";
          }
          turns.add(
              new Turn(
                  turn.get("dia_id").asText(),
                  s,
                  j + 1,
                  turn.get("speaker").asText(),
                  text,
                  start.plusSeconds(30L * j)));
        }
      }
      Set<String> known = new java.util.HashSet<>();
      turns.forEach(t -> known.add(t.diaId()));
      List<Question> questions = new ArrayList<>();
      for (JsonNode qa : sample.get("qa")) {
        int category = qa.path("category").asInt();
        if (category < 1 || category > 4) {
          continue;
        }
        Set<String> evidence = new LinkedHashSet<>();
        for (JsonNode e : qa.path("evidence")) {
          Matcher m = EVIDENCE.matcher(e.asText());
          while (m.find()) {
            String id = "D" + m.group(1) + ":" + m.group(2);
            if (known.contains(id)) {
              evidence.add(id);
            }
          }
        }
        if (!evidence.isEmpty()) {
          questions.add(new Question(qa.get("question").asText(), category, evidence));
        }
      }
      samples.add(
          new Sample(
              i,
              conversation.get("speaker_a").asText(),
              conversation.get("speaker_b").asText(),
              turns,
              questions));
    }
    return samples;
  }
}
