package dev.engram.orchestrator.service.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The truncation policy's arithmetic, on items alone ({@link PromptFraming#NONE}); what the
 * prompt's framing adds is pinned by {@code PromptBudgetTest}.
 */
class ContextAssemblerTest {

  /** Text of exactly {@code tokens} estimated tokens. */
  private static String tokens(int tokens, char fill) {
    return String.valueOf(fill).repeat(tokens * 4);
  }

  private static ContextItem item(ContextSource source, String key, String text, double score) {
    return new ContextItem(source, key, null, text, score, "test");
  }

  private static ContextItem message(int n, int size) {
    return new ContextItem(
        ContextSource.IMMEDIATE,
        "m" + n,
        n % 2 == 0 ? "assistant" : "user",
        n + tokens(size - 1, 'm'),
        1,
        "test");
  }

  @Test
  void everythingFitsIntoAGenerousBudgetInRenderOrder() {
    ContextAssembler assembler = new ContextAssembler(1000, 400, PromptFraming.NONE);
    AssembledContext context =
        assembler.assemble(
            new ContextCandidates(
                "what now?",
                List.of(message(1, 5), message(2, 5)),
                List.of(
                    item(ContextSource.WORKING, "w", "working item", 0.5),
                    item(ContextSource.LONG_TERM, "l", "long term item", 0.5),
                    item(ContextSource.FACTS, "f", "fact item", 0.9),
                    item(ContextSource.PROFILE, "p", "profile item", 1),
                    item(ContextSource.SESSION, "s", "session item", 1),
                    item(ContextSource.PARENT, "a", "parent summary item", 0.9),
                    item(ContextSource.PROCEDURES, "r", "procedure item", 1))));

    assertThat(context.items())
        .extracting(ContextItem::key)
        .containsExactly("p", "s", "a", "f", "r", "l", "w", "m1", "m2");
    assertThat(context.dropped()).isEmpty();
    assertThat(context.tokens()).isLessThanOrEqualTo(1000);
    assertThat(context.countsBySource())
        .containsEntry("immediate", 2)
        .containsEntry("working", 1)
        .containsEntry("long-term", 1)
        .containsEntry("session", 1)
        .containsEntry("parent", 1)
        .containsEntry("procedures", 1);
  }

  @Test
  void theUserMessageIsAlwaysIncludedAndClippedToTheBudget() {
    ContextAssembler assembler = new ContextAssembler(100, 400, PromptFraming.NONE);
    AssembledContext context =
        assembler.assemble(new ContextCandidates(tokens(500, 'u'), List.of(), List.of()));
    assertThat(Tokens.estimate(context.userMessage())).isEqualTo(100);
    assertThat(context.userMessage()).endsWith("…");
    assertThat(context.tokens()).isEqualTo(100);
  }

  @Test
  void eachSourceGetsItsGuaranteedShareBeforeLeftoversAreHandedOut() {
    // 1001 budget - 1 token message = 1000 left: shares are 100/350/150/200/100/50/20/30.
    ContextAssembler assembler = new ContextAssembler(1001, 1000, PromptFraming.NONE);
    List<ContextItem> others = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      others.add(
          item(ContextSource.LONG_TERM, "l" + i, tokens(100, (char) ('a' + i)), 1 - i / 100.0));
    }
    others.add(item(ContextSource.FACTS, "f", tokens(100, 'z'), 0.5));
    AssembledContext context = assembler.assemble(new ContextCandidates("q", List.of(), others));

    // Phase 1: long-term takes 2 (200), facts 1 (100). Phase 2: 700 left go to long-term by rank.
    assertThat(context.of(ContextSource.FACTS)).hasSize(1);
    assertThat(context.of(ContextSource.LONG_TERM))
        .extracting(ContextItem::key)
        .containsExactly("l0", "l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8");
    assertThat(context.dropped()).extracting(DroppedItem::key).containsExactly("l9");
    assertThat(context.dropped().get(0).reason()).isEqualTo("budget");
    assertThat(context.tokens()).isLessThanOrEqualTo(1001);
  }

  @Test
  void higherPrioritySourcesWinTheLeftovers() {
    // 201 budget: 200 left; immediate share 70, working 30, long-term 40.
    ContextAssembler assembler = new ContextAssembler(201, 1000, PromptFraming.NONE);
    AssembledContext context =
        assembler.assemble(
            new ContextCandidates(
                "q",
                List.of(message(1, 60), message(2, 60), message(3, 60)),
                List.of(
                    item(ContextSource.WORKING, "w", tokens(30, 'w'), 0.9),
                    item(ContextSource.LONG_TERM, "l", tokens(40, 'l'), 0.9))));

    // Shares: m3 (60 <= 70), w (30), l (40); leftovers 70: m2 (60) fits, m1 does not.
    assertThat(context.of(ContextSource.IMMEDIATE))
        .extracting(ContextItem::key)
        .containsExactly("m2", "m3");
    assertThat(context.dropped()).extracting(DroppedItem::key).containsExactly("m1");
  }

  @Test
  void immediateContextIsAContiguousTailOfTheConversation() {
    ContextAssembler assembler = new ContextAssembler(101, 1000, PromptFraming.NONE);
    AssembledContext context =
        assembler.assemble(
            new ContextCandidates(
                "q", List.of(message(1, 5), message(2, 90), message(3, 20)), List.of()));
    // m2 does not fit after m3, so m1 (which would fit) is not taken either: no gaps.
    assertThat(context.of(ContextSource.IMMEDIATE))
        .extracting(ContextItem::key)
        .containsExactly("m3");
    assertThat(context.dropped())
        .extracting(DroppedItem::key)
        .containsExactlyInAnyOrder("m1", "m2");
  }

  @Test
  void otherSourcesSkipAnItemThatDoesNotFitAndTryTheNext() {
    ContextAssembler assembler = new ContextAssembler(101, 1000, PromptFraming.NONE);
    AssembledContext context =
        assembler.assemble(
            new ContextCandidates(
                "q",
                List.of(),
                List.of(
                    item(ContextSource.FACTS, "big", tokens(150, 'b'), 0.9),
                    item(ContextSource.FACTS, "small", tokens(10, 's'), 0.5))));
    assertThat(context.of(ContextSource.FACTS))
        .extracting(ContextItem::key)
        .containsExactly("small");
    assertThat(context.dropped()).extracting(DroppedItem::key).containsExactly("big");
  }

  @Test
  void duplicatesAreDroppedInFavourOfTheHigherPrioritySource() {
    ContextAssembler assembler = new ContextAssembler(1000, 400, PromptFraming.NONE);
    AssembledContext context =
        assembler.assemble(
            new ContextCandidates(
                "Where is Clara?",
                List.of(
                    new ContextItem(
                        ContextSource.IMMEDIATE, "m1", "user", "Clara lives in Lisbon.", 1, "t")),
                List.of(
                    item(ContextSource.LONG_TERM, "l1", "clara lives in lisbon", 0.9),
                    item(ContextSource.WORKING, "w1", "Where is Clara?", 0.9))));
    assertThat(context.items()).extracting(ContextItem::key).containsExactly("m1");
    assertThat(context.dropped())
        .extracting(DroppedItem::key, DroppedItem::reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("l1", "duplicate"),
            org.assertj.core.groups.Tuple.tuple("w1", "duplicate"));
  }

  @Test
  void duplicatesAreFoundByKeyByCopyAndByTextWithoutTheDate() {
    java.time.LocalDate day = java.time.LocalDate.parse("2026-03-01");
    String long1 = "The allotment shed key is under the blue pot. " + tokens(40, 'k');
    ContextAssembler assembler = new ContextAssembler(1000, 20, PromptFraming.NONE);
    AssembledContext context =
        assembler.assemble(
            new ContextCandidates(
                "Where is the key?",
                List.of(
                    new ContextItem(ContextSource.IMMEDIATE, "message:1", "user", long1, 1, "t"),
                    new ContextItem(
                        ContextSource.IMMEDIATE,
                        "message:2",
                        "assistant",
                        "Under the pot.",
                        1,
                        "t")),
                List.of(
                    // the same memory recalled and in working memory
                    new ContextItem(
                        ContextSource.LONG_TERM,
                        "memory:a",
                        null,
                        "Tea at five",
                        0.9,
                        "t",
                        day,
                        null),
                    new ContextItem(
                        ContextSource.WORKING,
                        "memory:a",
                        null,
                        "Tea at five",
                        0.5,
                        "t",
                        day,
                        null),
                    // a memory of message 1: same text (longer than an item may be), with a date
                    new ContextItem(
                        ContextSource.LONG_TERM, "memory:b", "user", long1, 0.8, "t", day, null),
                    // a memory made from message 2, in other words
                    new ContextItem(
                        ContextSource.LONG_TERM,
                        "memory:c",
                        "assistant",
                        "It is under the pot!",
                        0.7,
                        "t",
                        day,
                        "message:2"))));
    assertThat(context.items())
        .extracting(ContextItem::key)
        .containsExactly("memory:a", "message:1", "message:2");
    assertThat(context.of(ContextSource.WORKING))
        .extracting(ContextItem::key)
        .containsExactly("memory:a");
    assertThat(context.dropped())
        .extracting(DroppedItem::source, DroppedItem::key, DroppedItem::reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(ContextSource.LONG_TERM, "memory:a", "duplicate"),
            org.assertj.core.groups.Tuple.tuple(ContextSource.LONG_TERM, "memory:b", "duplicate"),
            org.assertj.core.groups.Tuple.tuple(ContextSource.LONG_TERM, "memory:c", "duplicate"));
  }

  @Test
  void anItemWithADateIsClippedWithItsDateToTheItemLimit() {
    ContextAssembler assembler = new ContextAssembler(1000, 20, PromptFraming.NONE);
    AssembledContext context =
        assembler.assemble(
            new ContextCandidates(
                "q",
                List.of(),
                List.of(
                    new ContextItem(
                        ContextSource.LONG_TERM,
                        "l",
                        null,
                        tokens(300, 'x'),
                        1,
                        "t",
                        java.time.LocalDate.parse("2026-03-01"),
                        null))));
    ContextItem clipped = context.of(ContextSource.LONG_TERM).get(0);
    assertThat(clipped.rendered()).startsWith("[2026-03-01] xxx").endsWith("…");
    assertThat(clipped.tokens()).isLessThanOrEqualTo(20);
  }

  @Test
  void overlongItemsAreClippedBeforeAssembly() {
    ContextAssembler assembler = new ContextAssembler(1000, 20, PromptFraming.NONE);
    AssembledContext context =
        assembler.assemble(
            new ContextCandidates(
                "q", List.of(), List.of(item(ContextSource.LONG_TERM, "l", tokens(300, 'x'), 1))));
    ContextItem clipped = context.of(ContextSource.LONG_TERM).get(0);
    assertThat(clipped.tokens()).isEqualTo(20);
    assertThat(clipped.text()).endsWith("…");
  }

  @Test
  void withinSourceItemsAreRankedByScore() {
    ContextAssembler assembler = new ContextAssembler(41, 1000, PromptFraming.NONE);
    AssembledContext context =
        assembler.assemble(
            new ContextCandidates(
                "q",
                List.of(),
                List.of(
                    item(ContextSource.LONG_TERM, "low", tokens(10, 'a'), 0.1),
                    item(ContextSource.LONG_TERM, "high", tokens(10, 'b'), 0.9),
                    item(ContextSource.LONG_TERM, "mid", tokens(10, 'c'), 0.5))));
    // 40 left: the long-term share is 8, so all go through leftovers by rank: high, mid, low fit?
    // 30 <= 40.
    assertThat(context.of(ContextSource.LONG_TERM))
        .extracting(ContextItem::key)
        .containsExactly("high", "mid", "low");

    AssembledContext tight =
        new ContextAssembler(21, 1000, PromptFraming.NONE)
            .assemble(
                new ContextCandidates(
                    "q",
                    List.of(),
                    List.of(
                        item(ContextSource.LONG_TERM, "low", tokens(10, 'a'), 0.1),
                        item(ContextSource.LONG_TERM, "high", tokens(10, 'b'), 0.9),
                        item(ContextSource.LONG_TERM, "mid", tokens(10, 'c'), 0.5))));
    assertThat(tight.of(ContextSource.LONG_TERM))
        .extracting(ContextItem::key)
        .containsExactly("high", "mid");
  }
}
