package dev.engram.memory.api;

import dev.engram.memory.model.Cluster;
import dev.engram.memory.repository.ClusterRepository;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Clusters of the caller's similar memories. */
@Path("/api/v1/clusters")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "clusters")
@SecurityRequirement(name = "jwt")
public class ClusterResource {

  private final ClusterRepository clusters;
  private final dev.engram.memory.service.MemoryService memories;
  private final CurrentUser user;

  public ClusterResource(
      ClusterRepository clusters,
      dev.engram.memory.service.MemoryService memories,
      CurrentUser user) {
    this.clusters = clusters;
    this.memories = memories;
    this.user = user;
  }

  /** A cluster without its centroid. */
  public record ClusterView(
      UUID id, String label, int size, double stability, Instant createdAt, Instant updatedAt) {
    static ClusterView of(Cluster c) {
      return new ClusterView(
          c.id(), c.label(), c.size(), c.stability(), c.createdAt(), c.updatedAt());
    }
  }

  /** A cluster with its most recent members. */
  public record ClusterDetail(ClusterView cluster, List<MemoryView> members) {}

  @GET
  @Operation(summary = "The caller's clusters, largest first")
  public Uni<List<ClusterView>> list(@QueryParam("limit") Integer limit) {
    return clusters
        .list(user.id(), Cursor.limit(limit))
        .map(list -> list.stream().map(ClusterView::of).toList());
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One cluster and its most recent members (up to 50)")
  public Uni<ClusterDetail> get(@PathParam("id") String id) {
    UUID clusterId = Ids.parse(id, "cluster " + id);
    return clusters
        .find(user.id(), clusterId)
        .flatMap(
            found -> {
              Cluster c = found.orElseThrow(() -> ApiException.notFound("cluster " + id));
              return memories
                  .members(user.id(), clusterId, 50)
                  .map(
                      members ->
                          new ClusterDetail(
                              ClusterView.of(c),
                              members.stream()
                                  .map(m -> MemoryView.of(m, memories.curve(), memories.now()))
                                  .toList()));
            });
  }
}
