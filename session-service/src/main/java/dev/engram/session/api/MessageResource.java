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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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

  /** The request header that makes an append idempotent. */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** The response header that marks the answer to a repeated {@code Idempotency-Key}. */
  static final String REPLAYED = "Idempotent-Replayed";

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
  @Operation(
      summary = "Append a message to an ACTIVE session",
      description =
          "With an Idempotency-Key header, a repeat of the append (same key, role and content)"
              + " answers 200 with the message stored the first time, and the header"
              + " Idempotent-Replayed: true; nothing is appended again. The same key with another"
              + " role or content is 422 (idempotency-key-reused).")
  @APIResponse(responseCode = "201", description = "Appended")
  @APIResponse(
      responseCode = "200",
      description = "The message stored earlier with this Idempotency-Key; nothing appended")
  @APIResponse(
      responseCode = "422",
      description = "The Idempotency-Key was used for another role or content")
  @Parameter(
      name = IDEMPOTENCY_KEY,
      in = ParameterIn.HEADER,
      description =
          "The client's key for this message, 1 to 255 printable ASCII characters (a UUID, say),"
              + " unique in the session: a retry with the same key cannot append the message twice")
  public Uni<RestResponse<MessageView>> append(
      @RestPath String id, HttpHeaders headers, @NotNull @Valid AppendMessageRequest request) {
    return service
        .append(
            jwt.getSubject(),
            Params.sessionId(id),
            request.role(),
            request.content(),
            request.metadata(),
            // read from the headers: a header present but empty is an invalid key, not no key
            Params.idempotencyKey(headers.getHeaderString(IDEMPOTENCY_KEY)))
        .map(
            appended -> {
              MessageEntity message = appended.message();
              if (appended.replayed()) {
                return RestResponse.ResponseBuilder.ok(MessageView.of(message))
                    .header(REPLAYED, "true")
                    .build();
              }
              return RestResponse.ResponseBuilder.<MessageView>created(
                      URI.create(
                          "/api/v1/sessions/" + id + "/messages?after=" + (message.sequence - 1)))
                  .entity(MessageView.of(message))
                  .build();
            });
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
