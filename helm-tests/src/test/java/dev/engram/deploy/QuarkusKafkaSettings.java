package dev.engram.deploy;

import io.quarkus.kafka.client.runtime.KafkaRuntimeConfigProducer;
import io.quarkus.runtime.ApplicationConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The settings a service's Kafka clients get, computed the way the service computes them: a
 * SmallRye Config of the container's environment (ordinal 300, as in Quarkus) over the service's
 * own {@code application.properties} (250), handed to Quarkus's {@link KafkaRuntimeConfigProducer},
 * which builds the {@code default-kafka-broker} map that the services' Kafka clients and SmallRye
 * Reactive Messaging's connector start from.
 */
final class QuarkusKafkaSettings {

  private QuarkusKafkaSettings() {}

  /** The {@code application.properties} of a service module of this repository. */
  static Path applicationProperties(String service) {
    return Path.of("..", service, "src", "main", "resources", "application.properties");
  }

  static Map<String, Object> of(Map<String, String> env, Path applicationProperties) {
    PropertiesConfigSource file;
    try {
      file = new PropertiesConfigSource(applicationProperties.toUri().toURL(), 250);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .withSources(new EnvConfigSource(env, 300))
            .withSources(file)
            .build();
    Optional<String> name = config.getOptionalValue("quarkus.application.name", String.class);
    ApplicationConfig application =
        new ApplicationConfig() {
          @Override
          public Optional<String> name() {
            return name;
          }

          @Override
          public Optional<String> version() {
            return Optional.empty();
          }

          @Override
          public Optional<String> uiHeader() {
            return Optional.empty();
          }
        };
    return new KafkaRuntimeConfigProducer().createKafkaRuntimeConfig(config, application);
  }
}
