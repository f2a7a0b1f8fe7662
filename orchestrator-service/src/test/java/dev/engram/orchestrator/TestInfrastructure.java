package dev.engram.orchestrator;

import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.testing.JwtResource;
import dev.engram.testing.KafkaResource;
import dev.engram.testing.RedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Real Kafka, Redis and signing keys, and the service fixtures, for every Quarkus test. */
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = JwtResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = Fixtures.class, scope = TestResourceScope.GLOBAL)
public class TestInfrastructure {}
