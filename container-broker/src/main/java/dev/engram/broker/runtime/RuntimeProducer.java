package dev.engram.broker.runtime;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.k8s.KubernetesRuntime;
import dev.engram.broker.local.LocalProcessRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Chooses the runtime from {@code engram.broker.runtime}. */
@ApplicationScoped
public class RuntimeProducer {

  @Produces
  @Singleton
  PodRuntime runtime(
      BrokerConfig config,
      Instance<KubernetesRuntime> kubernetes,
      Instance<LocalProcessRuntime> local) {
    return switch (config.runtime()) {
      case KubernetesRuntime.NAME -> kubernetes.get();
      case LocalProcessRuntime.NAME -> local.get();
      default ->
          throw new IllegalArgumentException(
              "engram.broker.runtime must be kubernetes or local-process, not " + config.runtime());
    };
  }
}
