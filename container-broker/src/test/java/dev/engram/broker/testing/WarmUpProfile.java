package dev.engram.broker.testing;

import java.util.Map;

/**
 * {@link KubernetesProfile} with the claim warm-up on: five rounds once a pod is warm, against a
 * {@link FakeOrchestrator} that trusts the broker's token from the start.
 */
public class WarmUpProfile extends KubernetesProfile {

  public static final int ROUNDS = 5;

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = super.getConfigOverrides();
    // the warm-up binds before any test method runs: the fake must trust the broker's token by then
    Fake.trustTestKeys(FakeOrchestrator.shared().port());
    config.put("engram.broker.claim.warm-up-rounds", String.valueOf(ROUNDS));
    config.put("engram.broker.claim.warm-up-timeout", "60s");
    return config;
  }
}
