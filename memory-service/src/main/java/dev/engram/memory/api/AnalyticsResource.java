package dev.engram.memory.api;

import dev.engram.memory.service.AnalyticsService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Figures about the caller's memory. */
@Path("/api/v1/analytics/summary")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "analytics")
@SecurityRequirement(name = "jwt")
public class AnalyticsResource {

  private final AnalyticsService analytics;
  private final CurrentUser user;

  public AnalyticsResource(AnalyticsService analytics, CurrentUser user) {
    this.analytics = analytics;
    this.user = user;
  }

  @GET
  @Operation(
      summary =
          "Counts by type and state, access patterns, mean strength, lifecycle rates, clusters,"
              + " cache hit ratios")
  public Uni<AnalyticsService.Summary> summary() {
    return analytics.summary(user.id());
  }
}
