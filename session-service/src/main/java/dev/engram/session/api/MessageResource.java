package dev.engram.session.api;

import dev.engram.session.config.SessionConfig;
import dev.engram.session.model.MessageEntity;
import dev.engram.session.service.MessageService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** Messages of the authenticated user's sessions. */
@Path("/api/v1/sessions/{id}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Messages")
@SecurityRequirement(name = "jwt")
public class MessageResource {

  private final MessageService service;
  private final JsonWebToken jwt;
  private final SessionConfig.Paging paging;

  public MessageResource(MessageService service, JsonWebToken jwt, SessionConfig config) {
    this.service = service;
    this.jwt = jwt;
    this.paging = config.paging();
  }

  @POST
  @Path("/messages")
  @Operation(summary = "Append a message to an ACTIVE session")
  public Uni<RestResponse<MessageView>> append(
      @RestPath String id, @NotNull @Valid AppendMessageRequest request) {
    return service
        .append(
            jwt.getSubject(),
            Params.sessionId(id),
            request.role(),
            request.content(),
            request.metadata())
        .map(
            message ->
                RestResponse.ResponseBuilder.<MessageView>created(
                        URI.create(
                            "/api/v1/sessions/" + id + "/messages?after=" + (message.sequence - 1)))
                    .entity(MessageView.of(message))
                    .build());
  }

  @GET
  @Path("/messages")
  @Operation(summary = "List a session's messages in order, after a sequence number or cursor")
  public Uni<PageView<MessageView>> list(
      @RestPath String id,
      @RestQuery String after,
      @RestQuery String cursor,
      @RestQuery String limit) {
    int size = Params.limit(limit, paging.defaultLimit(), paging.maxLimit());
    long start = Params.messagePosition(cursor, after);
    return service
        .after(jwt.getSubject(), Params.sessionId(id), start, size + 1)
        .map(messages -> page(messages, size));
  }

  @GET
  @Path("/context")
  @Operation(summary = "The session's last N messages, oldest first: the immediate prompt context")
  public Uni<ContextView> context(@RestPath String id, @RestQuery String limit) {
    int size = Params.limit(limit, paging.defaultContextLimit(), paging.maxLimit());
    return service
        .context(jwt.getSubject(), Params.sessionId(id), size)
        .map(
            found ->
                new ContextView(
                    found.session().id,
                    found.session().title,
                    found.session().status,
                    found.messages().stream().map(MessageView::of).toList()));
  }

  private static PageView<MessageView> page(List<MessageEntity> messages, int size) {
    if (messages.size() <= size) {
      return new PageView<>(messages.stream().map(MessageView::of).toList(), null);
    }
    List<MessageEntity> shown = messages.subList(0, size);
    return new PageView<>(
        shown.stream().map(MessageView::of).toList(),
        Params.messageCursor(shown.get(size - 1).sequence));
  }
}
