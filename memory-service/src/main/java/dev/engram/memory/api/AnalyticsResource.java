package dev.engram.memory.api;

import dev.engram.memory.service.AnalyticsService;
import dev.engram.memory.service.StrengthHistoryService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Figures about the caller's memory. */
@Path("/api/v1/analytics")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "analytics")
@SecurityRequirement(name = "jwt")
public class AnalyticsResource {

  /** The range of the strength history when the request names no start. */
  static final Duration DEFAULT_RANGE = Duration.ofDays(30);

  private final AnalyticsService analytics;
  private final StrengthHistoryService history;
  private final CurrentUser user;

  public AnalyticsResource(
      AnalyticsService analytics, StrengthHistoryService history, CurrentUser user) {
    this.analytics = analytics;
    this.history = history;
    this.user = user;
  }

  @GET
  @Path("summary")
  @Operation(
      summary =
          "Counts by type and state, access patterns, mean strength, lifecycle rates, clusters,"
              + " cache hit ratios")
  public Uni<AnalyticsService.Summary> summary() {
    return analytics.summary(user.id());
  }

  @GET
  @Path("strength")
  @Operation(
      summary =
          "The caller's strength history: samples of their memories by type and state (count,"
              + " mean, 10th and 90th percentile strength) from `from` to `to` (default: the last"
              + " 30 days)")
  public Uni<StrengthHistoryService.History> strength(
      @QueryParam("from") String from, @QueryParam("to") String to) {
    Instant end = Params.instant(to, "to");
    Instant start = Params.instant(from, "from");
    if (end == null) {
      end = history.now();
    }
    if (start == null) {
      start = end.minus(DEFAULT_RANGE);
    }
    new Checks().require(!start.isAfter(end), "from", "must not be after to").throwIfAny();
    return history.history(user.id(), start, end);
  }
}
