package dev.engram.broker.controller;

import dev.engram.broker.config.BrokerConfig;
import io.quarkus.arc.All;
import io.quarkus.arc.ClientProxy;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The reconcile pass as a flat list of named steps, in this order. Each step's failure is recorded
 * in {@link PoolStatus} and logged; the pass always runs every step and never fails.
 */
@ApplicationScoped
public class ReconcilePipeline {

  /** The steps of a pass, in order. */
  static final List<Class<? extends ReconcileStep>> ORDER =
      List.of(
          ObserveStep.class,
          CollectFailedStep.class,
          CheckBoundStep.class,
          HeartbeatWarmStep.class,
          CollectOrphansStep.class,
          RecycleStep.class,
          ScaleDownStep.class,
          RefillStep.class,
          PublishStep.class);

  private static final Logger LOG = Logger.getLogger(ReconcilePipeline.class);

  private final List<ReconcileStep> steps;
  private final PoolStatus status;
  private final Duration stepTimeout;

  ReconcilePipeline(@All List<ReconcileStep> steps, PoolStatus status, BrokerConfig config) {
    this.steps =
        steps.stream().sorted(Comparator.comparingInt(ReconcilePipeline::position)).toList();
    this.status = status;
    this.stepTimeout = config.pool().stepTimeout();
  }

  public Uni<Void> run(ReconcilePass pass) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (ReconcileStep step : steps) {
      chain = chain.chain(() -> runStep(step, pass));
    }
    return chain.invoke(() -> status.reconciled(pass.now()));
  }

  private Uni<Void> runStep(ReconcileStep step, ReconcilePass pass) {
    return Uni.createFrom()
        .deferred(() -> step.run(pass))
        .ifNoItem()
        .after(stepTimeout)
        .failWith(() -> new IllegalStateException("timed out after " + stepTimeout))
        .invoke(() -> status.succeeded(step.name()))
        .onFailure()
        .recoverWithUni(
            e -> {
              LOG.warnf("Reconcile step %s failed: %s", step.name(), e.getMessage());
              status.failed(step.name(), String.valueOf(e.getMessage()), pass.now());
              return Uni.createFrom().voidItem();
            });
  }

  private static int position(ReconcileStep step) {
    Class<?> type = ClientProxy.unwrap(step).getClass();
    for (int i = 0; i < ORDER.size(); i++) {
      if (ORDER.get(i).isAssignableFrom(type)) {
        return i;
      }
    }
    throw new IllegalStateException("Reconcile step " + type + " has no place in the pipeline");
  }
}
