package dev.engram.orchestrator.service.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.engram.orchestrator.client.FactView;
import dev.engram.orchestrator.client.MemoryHit;
import dev.engram.orchestrator.client.MemoryView;
import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.client.ProcedureView;
import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.service.binding.UserProfile;
import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.context.ContextAssembler;
import dev.engram.orchestrator.service.context.ContextItem;
import dev.engram.orchestrator.service.context.ContextSource;
import dev.engram.orchestrator.service.context.DroppedItem;
import dev.engram.orchestrator.service.llm.OfflineResponder;
import dev.engram.orchestrator.service.llm.PromptRenderer;
import dev.engram.orchestrator.service.stm.AttentionScorer;
import dev.engram.orchestrator.service.stm.Candidate;
import dev.engram.orchestrator.service.stm.StmPolicy;
import dev.engram.orchestrator.service.stm.WorkingItem;
import dev.engram.orchestrator.service.stm.WorkingMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the builder makes of what was gathered, through the real assembler: each source's items with
 * their reasons, and one item for what several sources hold.
 */
class ContextBuilderTest {

  private static final Instant NOW = Instant.parse("2026-03-11T15:30:00Z");
  private static final UUID SESSION = UUID.randomUUID();

  private final ContextBuilder builder = new ContextBuilder(new ContextAssembler(3000, 400));

  private static MessageView message(long sequence, String role, String content) {
    return new MessageView(
        UUID.randomUUID(),
        SESSION,
        sequence,
        role,
        content,
        Map.of(),
        NOW.minusSeconds(600 - sequence));
  }

  private static MemoryHit hit(
      String content, String role, UUID sourceMessage, Instant occurredAt, double score) {
    return new MemoryHit(
        new MemoryView(
            UUID.randomUUID(),
            "EPISODIC",
            content,
            "ACTIVE",
            0.6,
            0.5,
            UUID.randomUUID(),
            sourceMessage,
            role,
            null,
            occurredAt,
            occurredAt),
        score,
        Map.of("dense", 0.7));
  }

  private static SessionView session(UUID parent) {
    return new SessionView(
        SESSION,
        "ada",
        "Garden plans",
        "ACTIVE",
        List.of("garden"),
        Map.of(),
        parent,
        Instant.parse("2026-03-10T08:00:00Z"),
        NOW);
  }

  private static Gathered gathered(
      SessionView session,
      List<MessageView> immediate,
      List<MemoryHit> hits,
      List<FactView> facts,
      List<ProcedureView> procedures,
      String parentSummary) {
    return new Gathered(
        session, immediate, hits, facts, procedures, parentSummary, null, List.of());
  }

  /** The working set after a turn that attended to {@code current} and {@code hits}. */
  private List<WorkingItem> attended(MessageView current, List<MemoryHit> hits) {
    WorkingMemory stm =
        new WorkingMemory(
            new StmPolicy(10, 0.15, 0.35, 0.05, 0.34),
            new AttentionScorer(0.35, 0.2, 0.25, 0.2, Duration.ofDays(1)));
    stm.attend(builder.attentionCandidates(current, hits), NOW);
    return stm.items();
  }

  private static List<String> keysOf(AssembledContext context, ContextSource source) {
    return context.of(source).stream().map(ContextItem::key).toList();
  }

  @Test
  void whatSeveralSourcesHoldIsInTheContextOnceFromTheHigherPrioritySource() {
    MessageView sister = message(1, "USER", "My sister Clara lives in Lisbon.");
    MessageView lovely = message(2, "ASSISTANT", "Lisbon is lovely in spring, you should visit.");
    MessageView current =
        message(3, "USER", "Where is the allotment shed key, and where is Clara?");
    // a memory of an older session, recalled this turn: it also enters the working set
    MemoryHit shed =
        hit(
            "The spare key to the allotment shed is under the blue pot.",
            "user",
            UUID.randomUUID(),
            Instant.parse("2026-03-01T10:00:00Z"),
            0.9);
    // memory-service's memory of a message that is immediate context (same words)
    MemoryHit sisterMemory =
        hit(sister.content(), "user", null, Instant.parse("2026-03-11T15:20:00Z"), 0.8);
    // ... and one made from the other immediate message (other words, same source message)
    MemoryHit lovelyMemory =
        hit(
            "Lisbon is lovely in spring!",
            "assistant",
            lovely.id(),
            Instant.parse("2026-03-11T15:21:00Z"),
            0.7);
    List<MemoryHit> hits = List.of(shed, sisterMemory, lovelyMemory);
    List<WorkingItem> working = attended(current, hits);
    assertThat(working)
        .extracting(WorkingItem::key)
        .contains("memory:" + shed.memory().id(), "memory:" + lovelyMemory.memory().id());

    AssembledContext context =
        builder.assemble(
            current.content(),
            current.id(),
            gathered(session(null), List.of(sister, lovely), hits, List.of(), List.of(), null),
            working,
            UserProfile.EMPTY);

    String shedKey = "memory:" + shed.memory().id();
    assertThat(context.items()).extracting(ContextItem::key).containsOnlyOnce(shedKey);
    assertThat(keysOf(context, ContextSource.WORKING)).containsExactly(shedKey);
    assertThat(context.of(ContextSource.WORKING).get(0).why())
        .startsWith("in working memory: activation ")
        .endsWith("; recalled now: long-term episodic memory, score 0.90 (dense 0.70)");
    assertThat(keysOf(context, ContextSource.LONG_TERM)).isEmpty();
    assertThat(keysOf(context, ContextSource.IMMEDIATE))
        .containsExactly("message:" + sister.id(), "message:" + lovely.id());
    assertThat(context.dropped())
        .extracting(DroppedItem::source, DroppedItem::key, DroppedItem::reason)
        .containsExactlyInAnyOrder(
            tuple(ContextSource.LONG_TERM, shedKey, "duplicate"),
            tuple(ContextSource.WORKING, "memory:" + sisterMemory.memory().id(), "duplicate"),
            tuple(ContextSource.LONG_TERM, "memory:" + sisterMemory.memory().id(), "duplicate"),
            tuple(ContextSource.WORKING, "memory:" + lovelyMemory.memory().id(), "duplicate"),
            tuple(ContextSource.LONG_TERM, "memory:" + lovelyMemory.memory().id(), "duplicate"));

    // the prompt shows the memory's day before it, once
    String system = PromptRenderer.render(context).messages().get(0).content();
    assertThat(system)
        .containsOnlyOnce("allotment shed")
        .contains("\n- [2026-03-01] The spare key to the allotment shed is under the blue pot.")
        .doesNotContain("[2026-03-11]");
    assertThat(context.of(ContextSource.WORKING).get(0).tokens())
        .isEqualTo(
            dev.engram.orchestrator.service.context.Tokens.estimate(
                "[2026-03-01] " + shed.memory().content()));
    // and the offline responder quotes it once
    String answer = OfflineResponder.answer(PromptRenderer.render(context));
    assertThat(answer).containsOnlyOnce("allotment shed").doesNotContain("Clara lives");
  }

  @Test
  void aRecalledMemoryOutsideTheWorkingSetIsLongTermWithItsDay() {
    MessageView current = message(1, "USER", "Where is the allotment shed key?");
    MemoryHit shed =
        hit(
            "The spare key to the allotment shed is under the blue pot.",
            null,
            null,
            Instant.parse("2026-03-01T10:00:00Z"),
            0.9);
    AssembledContext context =
        builder.assemble(
            current.content(),
            current.id(),
            gathered(null, List.of(), List.of(shed), List.of(), List.of(), null),
            List.of(),
            UserProfile.EMPTY);
    ContextItem item = context.of(ContextSource.LONG_TERM).get(0);
    assertThat(item.text()).isEqualTo(shed.memory().content());
    assertThat(item.date()).hasToString("2026-03-01");
    assertThat(item.rendered()).isEqualTo("[2026-03-01] " + shed.memory().content());
  }

  @Test
  void everyItemSaysWhyItIsThere() throws Exception {
    MessageView earlier = message(4, "USER", "I want to plant tomatoes this spring.");
    MessageView current = message(5, "USER", "How do I plant the tomato seedlings?");
    // the working set holds a message of an earlier turn that is no longer immediate context
    WorkingMemory stm =
        new WorkingMemory(
            new StmPolicy(10, 0.15, 0.35, 0.05, 0.34),
            new AttentionScorer(0.35, 0.2, 0.25, 0.2, Duration.ofDays(1)));
    stm.attend(
        List.of(Candidate.message(UUID.randomUUID(), "The greenhouse door sticks", NOW)), NOW);
    MemoryHit seeds =
        hit(
            "Tomato seedlings need a warm sunny windowsill.",
            null,
            null,
            Instant.parse("2026-02-20T09:00:00Z"),
            0.8);
    FactView likes = new FactView(UUID.randomUUID(), "PREFERENCE", "user", "likes", "basil", 0.9);
    ProcedureView plant =
        new ProcedureView(
            UUID.randomUUID(),
            "plant tomato seedlings",
            JsonMapper.builder().build().readTree("[\"dig a hole\",\"water well\"]"),
            3,
            1,
            0.7);
    UUID parent = UUID.randomUUID();
    UserProfile profile = UserProfile.EMPTY.withFacts("Ada", List.of("basil"));

    AssembledContext context =
        builder.assemble(
            current.content(),
            current.id(),
            gathered(
                session(parent),
                List.of(earlier),
                List.of(seeds),
                List.of(likes),
                List.of(plant),
                "Earlier session \"Seeds\" was about tomato, basil"),
            stm.items(),
            profile);

    assertThat(context.dropped()).isEmpty();
    assertThat(context.items())
        .extracting(i -> i.source(), ContextItem::why)
        .containsExactlyInAnyOrder(
            tuple(ContextSource.PROFILE, "the user's profile"),
            tuple(ContextSource.SESSION, "the current session's metadata"),
            tuple(ContextSource.PARENT, "summary of the linked parent session"),
            tuple(ContextSource.FACTS, "preference fact, confidence 0.90"),
            tuple(ContextSource.PROCEDURES, "procedure, 3 of 4 runs succeeded"),
            tuple(ContextSource.LONG_TERM, "long-term episodic memory, score 0.80 (dense 0.70)"),
            tuple(
                ContextSource.WORKING,
                String.format(
                    java.util.Locale.ROOT,
                    "in working memory: activation %.2f, rehearsed 0×",
                    stm.items().get(0).activation())),
            tuple(ContextSource.IMMEDIATE, "message #4 of this session"));
  }
}
