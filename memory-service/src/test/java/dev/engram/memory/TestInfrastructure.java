package dev.engram.memory;

import dev.engram.testing.JwtResource;
import dev.engram.testing.KafkaResource;
import dev.engram.testing.PostgresResource;
import dev.engram.testing.RedisResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Real PostgreSQL, Redis and Kafka, and test-minted JWT keys, for every test of this module. */
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = JwtResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(
    value = PostgresResource.class,
    scope = TestResourceScope.GLOBAL,
    initArgs = @ResourceArg(name = "database", value = "engram_memory_test"))
@WithTestResource(value = RedisResource.class, scope = TestResourceScope.GLOBAL)
public class TestInfrastructure {}
