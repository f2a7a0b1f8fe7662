package dev.engram.memory.lifecycle;

import dev.engram.memory.config.MemoryConfig;
import java.time.Duration;
import java.time.Instant;

/**
 * The forgetting curve with a spacing effect.
 *
 * <pre>
 *   strength(t)  = S_r · exp(-(t - t_r) / τ)                 decay since the last reinforcement t_r
 *   on creation:   S_0 = 0.5 + 0.5 · salience,  τ_0 = base · (1 + boost · salience)
 *   on reinforcement at t, with retention r = exp(-(t - t_r) / τ):
 *                  τ'  = τ · (1 + spacingGain · (1 - r))      spaced repetition slows decay more
 *                  S'  = s + reinforcementGain · (1 - s)      where s = strength(t)
 *   on consolidation: τ' = 3 · τ
 * </pre>
 *
 * A memory is forgotten (DECAYED) when its strength falls below {@code forgetThreshold}, that is at
 * {@code t_r + τ · ln(S_r / threshold)}.
 */
public final class DecayCurve {

  /** Consolidation triples the time constant. */
  public static final double CONSOLIDATION_FACTOR = 3;

  private static final double SECONDS_PER_DAY = 86_400;

  private final double baseStabilityDays;
  private final double salienceBoost;
  private final double spacingGain;
  private final double reinforcementGain;
  private final double forgetThreshold;

  public DecayCurve(
      double baseStabilityDays,
      double salienceBoost,
      double spacingGain,
      double reinforcementGain,
      double forgetThreshold) {
    this.baseStabilityDays = baseStabilityDays;
    this.salienceBoost = salienceBoost;
    this.spacingGain = spacingGain;
    this.reinforcementGain = reinforcementGain;
    this.forgetThreshold = forgetThreshold;
  }

  public static DecayCurve from(MemoryConfig.Lifecycle c) {
    return new DecayCurve(
        c.baseStabilityDays(),
        c.salienceStabilityBoost(),
        c.spacingGain(),
        c.reinforcementGain(),
        c.forgetThreshold());
  }

  /** Strength and time constant of a memory: its state as far as decay is concerned. */
  public record Trace(double strength, double stabilityDays, Instant anchor) {}

  public double forgetThreshold() {
    return forgetThreshold;
  }

  /** The trace of a new memory of the given salience (0..1), created at {@code at}. */
  public Trace initial(double salience, Instant at) {
    double s = clamp(salience);
    return new Trace(0.5 + 0.5 * s, baseStabilityDays * (1 + salienceBoost * s), at);
  }

  /** Fraction of the strength at the anchor that remains at {@code now}. */
  public double retention(Trace trace, Instant now) {
    double days = Math.max(0, seconds(trace.anchor(), now) / SECONDS_PER_DAY);
    return Math.exp(-days / trace.stabilityDays());
  }

  /** The strength at {@code now}. */
  public double strengthAt(Trace trace, Instant now) {
    return trace.strength() * retention(trace, now);
  }

  /** The trace after a reinforcement at {@code now}. */
  public Trace reinforce(Trace trace, Instant now) {
    double r = retention(trace, now);
    double current = trace.strength() * r;
    double stability = trace.stabilityDays() * (1 + spacingGain * (1 - r));
    return new Trace(current + reinforcementGain * (1 - current), stability, now);
  }

  /** The trace after consolidation at {@code now}. */
  public Trace consolidate(Trace trace, Instant now) {
    return new Trace(strengthAt(trace, now), trace.stabilityDays() * CONSOLIDATION_FACTOR, now);
  }

  /** When the strength falls below the forgetting threshold (now if it already has). */
  public Instant forgetAt(Trace trace) {
    if (trace.strength() <= forgetThreshold) {
      return trace.anchor();
    }
    double days = trace.stabilityDays() * Math.log(trace.strength() / forgetThreshold);
    return trace.anchor().plus(Duration.ofSeconds((long) Math.ceil(days * SECONDS_PER_DAY)));
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
