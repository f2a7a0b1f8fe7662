package dev.engram.session;

import dev.engram.testing.JwtResource;
import dev.engram.testing.KafkaResource;
import dev.engram.testing.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** The real infrastructure every test of this module runs against (see docs/development.md). */
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = JwtResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(
    value = PostgresResource.class,
    scope = TestResourceScope.GLOBAL,
    initArgs = @ResourceArg(name = "database", value = TestInfrastructure.DATABASE))
public class TestInfrastructure {

  /** This module's test database on the real PostgreSQL. */
  public static final String DATABASE = "engram_session_test";
}
