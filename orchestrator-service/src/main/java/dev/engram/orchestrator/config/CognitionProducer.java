package dev.engram.orchestrator.config;

import dev.engram.orchestrator.service.context.ContextAssembler;
import dev.engram.orchestrator.service.context.TimeRangeParser;
import dev.engram.orchestrator.service.stm.AttentionScorer;
import dev.engram.orchestrator.service.stm.StmPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The plain-Java cognitive components, configured from {@link OrchestratorConfig}. */
@ApplicationScoped
public class CognitionProducer {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  AttentionScorer attentionScorer(OrchestratorConfig config) {
    OrchestratorConfig.Stm.Weights w = config.stm().weights();
    return new AttentionScorer(
        w.relevance(), w.novelty(), w.salience(), w.recency(), config.stm().recencyHalfLife());
  }

  @Produces
  @Singleton
  StmPolicy stmPolicy(OrchestratorConfig config) {
    OrchestratorConfig.Stm stm = config.stm();
    return new StmPolicy(
        stm.capacity(),
        stm.decayPerTurn(),
        stm.rehearsalBoost(),
        stm.activationFloor(),
        stm.rehearsalOverlap());
  }

  @Produces
  @Singleton
  ContextAssembler contextAssembler(OrchestratorConfig config) {
    return new ContextAssembler(config.context().tokenBudget(), config.context().maxItemTokens());
  }

  @Produces
  @Singleton
  TimeRangeParser timeRangeParser(Clock clock, OrchestratorConfig config) {
    return new TimeRangeParser(clock, config.context().timeZone());
  }
}
