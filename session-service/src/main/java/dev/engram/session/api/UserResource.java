package dev.engram.session.api;

import dev.engram.session.service.ErasureService;
import dev.engram.session.service.ExportService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestResponse;

/** The authenticated user's data as a whole: export and erasure. */
@Path("/api/v1/users/me")
@Authenticated
@Tag(name = "Account")
@SecurityRequirement(name = "jwt")
public class UserResource {

  private final ExportService export;
  private final ErasureService erasure;
  private final JsonWebToken jwt;

  public UserResource(ExportService export, ErasureService erasure, JsonWebToken jwt) {
    this.export = export;
    this.erasure = erasure;
    this.jwt = jwt;
  }

  @GET
  @Path("/export")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "All of the user's sessions and messages as one JSON document, streamed")
  public Multi<Buffer> export() {
    Multi<Buffer> document = export.export(jwt.getSubject(), SessionView::of, MessageView::of);
    return RestMulti.fromMultiData(document)
        .encodeAsJsonArray(false)
        .header("Content-Disposition", "attachment; filename=\"engram-export.json\"")
        .build();
  }

  @DELETE
  @Operation(
      summary =
          "Erase all of the user's sessions and messages; user.erased tells the other services")
  public Uni<RestResponse<Void>> erase() {
    return erasure.erase(jwt.getSubject()).map(erased -> RestResponse.noContent());
  }
}
