package dev.engram.orchestrator.service.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.context.ContextAssembler;
import dev.engram.orchestrator.service.context.ContextCandidates;
import dev.engram.orchestrator.service.context.ContextItem;
import dev.engram.orchestrator.service.context.ContextSource;
import dev.engram.orchestrator.service.context.DroppedItem;
import dev.engram.orchestrator.service.context.PromptFraming;
import dev.engram.orchestrator.service.context.TimeRange;
import dev.engram.orchestrator.service.context.Tokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The token budget covers the whole rendered prompt: framing, time-range note, hook instructions.
 */
class PromptBudgetTest {

  private static final TimeRange LAST_WEEK =
      new TimeRange(
          Instant.parse("2026-11-23T00:00:00Z"),
          Instant.parse("2026-11-30T00:00:00Z"),
          "last week");

  /** Estimated tokens of a prompt as sent: every message's content and its framing. */
  private static int estimate(Prompt prompt) {
    return prompt.messages().stream()
        .mapToInt(m -> Tokens.estimate(m.content()) + PromptFraming.MESSAGE_OVERHEAD)
        .sum();
  }

  private static String words(Random random, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(i == 0 ? "" : " ").append("word").append(random.nextInt(1000));
    }
    return text.toString();
  }

  private static ContextCandidates candidates(Random random, TimeRange range) {
    List<ContextItem> immediate = new ArrayList<>();
    for (int i = 0; i < random.nextInt(12); i++) {
      immediate.add(
          new ContextItem(
              ContextSource.IMMEDIATE,
              "message:" + i,
              i % 2 == 0 ? "user" : "assistant",
              words(random, 1 + random.nextInt(60)),
              1,
              "test"));
    }
    List<ContextItem> others = new ArrayList<>();
    for (ContextSource source : ContextSource.values()) {
      if (source == ContextSource.IMMEDIATE) {
        continue;
      }
      for (int i = 0; i < random.nextInt(6); i++) {
        others.add(
            new ContextItem(
                source,
                source.label() + ":" + i,
                null,
                words(random, 1 + random.nextInt(40)),
                random.nextDouble(),
                "test"));
      }
    }
    return new ContextCandidates(words(random, 1 + random.nextInt(30)), immediate, others, range);
  }

  @Test
  void theRenderedPromptNeverExceedsTheBudget() {
    Random random = new Random(42);
    for (int budget : new int[] {64, 80, 120, 200, 400, 1000, 3000}) {
      ContextAssembler assembler = new ContextAssembler(budget, 400);
      for (int round = 0; round < 200; round++) {
        TimeRange range = random.nextBoolean() ? LAST_WEEK : null;
        AssembledContext context = assembler.assemble(candidates(random, range));
        if (random.nextBoolean()) {
          context = context.withInstruction("Answer in one short paragraph.");
        }
        Prompt prompt = PromptRenderer.render(context);
        String where = "budget " + budget + ", round " + round;
        assertThat(estimate(prompt)).as(where).isLessThanOrEqualTo(context.tokens());
        if (context.instructions().isEmpty() || !context.items().isEmpty()) {
          assertThat(context.tokens()).as(where).isLessThanOrEqualTo(budget);
        } else {
          // an instruction is kept even when it leaves no room for any item
          int instruction = PromptFraming.PROMPT.instruction(context.instructions().get(0));
          assertThat(context.tokens() - instruction).as(where).isLessThanOrEqualTo(budget);
        }
        // the time-range note is rendered when the context keeps the range, and a budget that
        // is not tiny keeps it
        boolean noted = prompt.messages().get(0).content().contains("last week");
        assertThat(noted).as(where).isEqualTo(context.range() != null);
        if (range != null && budget >= 200) {
          assertThat(noted).as(where).isTrue();
        }
      }
    }
  }

  @Test
  void aGenerousBudgetTakesEverything() {
    Random random = new Random(7);
    ContextAssembler assembler = new ContextAssembler(100_000, 400);
    for (int round = 0; round < 50; round++) {
      ContextCandidates candidates = candidates(random, LAST_WEEK);
      AssembledContext context = assembler.assemble(candidates);
      assertThat(context.dropped()).isEmpty();
      assertThat(context.items())
          .hasSize(candidates.immediate().size() + candidates.others().size());
    }
  }

  @Test
  void theFramingTakesItsPartOfATightBudget() {
    List<ContextItem> facts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      facts.add(
          new ContextItem(
              ContextSource.FACTS,
              "fact:" + i,
              null,
              "fact" + i + "x".repeat(11),
              1 - i / 10.0,
              ""));
    }
    ContextCandidates candidates = new ContextCandidates("hi", List.of(), facts);
    int fixed = PromptFraming.PROMPT.fixed(null);
    int budget = fixed + 1 + 40; // the message, then 40 tokens for facts (4 each without framing)

    AssembledContext unframed =
        new ContextAssembler(budget, 400, PromptFraming.NONE).assemble(candidates);
    AssembledContext framed = new ContextAssembler(budget, 400).assemble(candidates);

    assertThat(unframed.of(ContextSource.FACTS)).hasSize(10);
    // framed: the heading (about 8 tokens), then 5 tokens a bullet line
    int heading = Tokens.estimate(PromptFraming.heading(ContextSource.FACTS));
    assertThat(framed.of(ContextSource.FACTS)).hasSize((40 - heading) / 5);
    assertThat(framed.of(ContextSource.FACTS))
        .extracting(ContextItem::key)
        .startsWith("fact:0", "fact:1");
    assertThat(estimate(PromptRenderer.render(framed))).isLessThanOrEqualTo(budget);
  }

  @Test
  void aHookInstructionMakesRoomByDroppingTheLeastImportantFirst() {
    List<ContextItem> immediate = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      immediate.add(
          new ContextItem(
              ContextSource.IMMEDIATE, "message:" + i, "user", i + "m".repeat(39), 1, ""));
    }
    List<ContextItem> others =
        List.of(
            new ContextItem(ContextSource.PROFILE, "profile", null, "p".repeat(40), 1, ""),
            new ContextItem(ContextSource.SESSION, "session", null, "s".repeat(40), 1, ""),
            new ContextItem(ContextSource.FACTS, "fact:high", null, "f".repeat(40), 0.9, ""),
            new ContextItem(ContextSource.FACTS, "fact:low", null, "g".repeat(40), 0.1, ""));
    AssembledContext full =
        new ContextAssembler(10_000, 400)
            .assemble(new ContextCandidates("question", immediate, others));
    assertThat(full.items()).hasSize(8);

    // exactly as tight as the full context: any instruction needs room
    AssembledContext tight =
        new AssembledContext(
            full.userMessage(),
            full.items(),
            List.of(),
            full.tokens(),
            List.of(),
            null,
            PromptFraming.PROMPT);
    String instruction = "Answer in one short paragraph, and name the memory you used.";
    AssembledContext instructed = tight.withInstruction(instruction);

    assertThat(instructed.tokens()).isLessThanOrEqualTo(tight.budget());
    assertThat(instructed.instructions()).containsExactly(instruction);
    // sources in the reverse of the policy's order: session, then procedures (none), facts from
    // the lowest-ranked, long-term and working (none), then the oldest messages
    List<String> droppedKeys = instructed.dropped().stream().map(DroppedItem::key).toList();
    assertThat(droppedKeys).first().isEqualTo("session");
    assertThat(List.of("session", "fact:low", "fact:high", "message:0", "message:1"))
        .startsWith(droppedKeys.toArray(String[]::new));
    assertThat(instructed.dropped()).allSatisfy(d -> assertThat(d.reason()).isEqualTo("budget"));
    assertThat(PromptRenderer.render(instructed).messages().get(0).content()).endsWith(instruction);

    // a long instruction takes everything but itself and the user's message
    AssembledContext crowded = tight.withInstruction("i".repeat(4 * tight.budget()));
    assertThat(crowded.items()).isEmpty();
    assertThat(crowded.userMessage()).isEqualTo("question");
  }

  @Test
  void aBudgetTooSmallForTheFramingIsRefused() {
    int fixed = PromptFraming.PROMPT.fixed(null);
    assertThatThrownBy(() -> new ContextAssembler(fixed + 10, 400))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least " + (fixed + 16));
    assertThat(new ContextAssembler(fixed + 16, 400)).isNotNull();
  }
}
