package dev.engram.broker.testing;

import java.util.Map;

/**
 * {@link KubernetesProfile} with no warm instance kept, room for two instances in all and a
 * lifetime of two hours: every claim is a cold start, a third user finds the pool full, and a test
 * can age an instance past its lifetime by advancing {@link MutableClock}.
 */
public class EmptyPoolProfile extends KubernetesProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = super.getConfigOverrides();
    config.put("engram.broker.pool.target-warm", "0");
    config.put("engram.broker.pool.max-total", "2");
    config.put("engram.broker.pool.max-lifetime", "2h");
    return config;
  }
}
