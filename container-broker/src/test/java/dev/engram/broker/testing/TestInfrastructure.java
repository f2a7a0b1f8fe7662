package dev.engram.broker.testing;

import dev.engram.testing.JwtResource;
import dev.engram.testing.KafkaResource;
import dev.engram.testing.RedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** The real infrastructure every broker test talks to: Kafka, Redis and the JWT keys. */
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = JwtResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisResource.class, scope = TestResourceScope.GLOBAL)
public class TestInfrastructure {}
