package dev.engram.broker.api;

import dev.engram.broker.claim.BrokerTokens;
import dev.engram.broker.claim.ReservedUsers;
import dev.engram.broker.config.BrokerConfig;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Development sign-in: mints a token for any user name, signed with the suite's key (the one {@code
 * ./engram token} uses), and sets the web UI's token cookie. Off unless {@code
 * engram.broker.gateway.dev-tokens=true}: then it answers 404 like an unknown path.
 */
@Path("/api/v1/dev/token")
@PermitAll
public class DevTokenResource {

  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

  private static final Set<String> GROUPS = Set.of("user", "operator");

  /** The request: a user name and optional groups ({@code user}, {@code operator}). */
  public record TokenRequest(String userId, List<String> groups) {}

  /** The minted token. */
  public record TokenResponse(String token, String userId, Instant expiresAt) {}

  private final BrokerTokens tokens;
  private final BrokerConfig.Gateway config;

  DevTokenResource(BrokerTokens tokens, BrokerConfig config) {
    this.tokens = tokens;
    this.config = config.gateway();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response mint(TokenRequest request, UriInfo uri) {
    if (!config.devTokens()) {
      throw new NotFoundException("Development tokens are disabled");
    }
    if (request == null || request.userId() == null || !USER.matcher(request.userId()).matches()) {
      return invalid("userId must be 1-128 letters, digits or . _ @ -", uri);
    }
    if (ReservedUsers.isReserved(request.userId())) {
      return invalid("userIds starting with " + ReservedUsers.PREFIX + " are reserved", uri);
    }
    Set<String> groups = new LinkedHashSet<>(List.of("user"));
    if (request.groups() != null) {
      if (!GROUPS.containsAll(request.groups())) {
        return invalid("groups may only contain user and operator", uri);
      }
      groups.addAll(request.groups());
    }
    String token = tokens.forUser(request.userId(), groups, config.devTokenLifetime());
    Instant expiresAt = Instant.now().plus(config.devTokenLifetime());
    NewCookie cookie =
        new NewCookie.Builder(config.tokenCookie())
            .value(token)
            .path("/")
            .httpOnly(true)
            .sameSite(NewCookie.SameSite.STRICT)
            .maxAge((int) config.devTokenLifetime().toSeconds())
            .build();
    return Response.ok(new TokenResponse(token, request.userId(), expiresAt))
        .cookie(cookie)
        .build();
  }

  private static Response invalid(String detail, UriInfo uri) {
    return Problem.of("validation", "Invalid request", 400, detail, uri.getPath()).toResponse();
  }
}
