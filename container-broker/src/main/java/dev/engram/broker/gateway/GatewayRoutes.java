package dev.engram.broker.gateway;

import dev.engram.broker.claim.Assignment;
import dev.engram.broker.claim.ConnectService;
import dev.engram.broker.claim.Releaser;
import dev.engram.broker.claim.ReservedUsers;
import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.gateway.GatewayAuthenticator.Caller;
import dev.engram.broker.gateway.RateLimiter.Decision;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.jboss.logging.Logger;

/**
 * The public entry point for everything the broker does not answer itself: authenticates the
 * caller, applies their rate limit, and forwards REST and WebSocket traffic to session-service,
 * memory-service or the caller's own instance (claiming one on first use). An instance that cannot
 * be reached is released as lost and the caller gets 503 with Retry-After; the next request claims
 * a new instance, which restores the user's snapshot.
 */
@ApplicationScoped
public class GatewayRoutes {

  private static final Logger LOG = Logger.getLogger(GatewayRoutes.class);

  /** How an instance refuses a user it does not serve: another user's (403), nobody's (503). */
  private static final IntPredicate STALE_ROUTE = s -> s == 403 || s == 404 || s == 503;

  private final GatewayAuthenticator authenticator;
  private final RateLimiter limiter;
  private final ConnectService connections;
  private final Releaser releaser;
  private final Proxies proxies;
  private final URI sessionService;
  private final URI memoryService;
  private final boolean devTokens;

  GatewayRoutes(
      GatewayAuthenticator authenticator,
      RateLimiter limiter,
      ConnectService connections,
      Releaser releaser,
      Proxies proxies,
      BrokerConfig config) {
    this.authenticator = authenticator;
    this.limiter = limiter;
    this.connections = connections;
    this.releaser = releaser;
    this.proxies = proxies;
    this.sessionService = URI.create(config.gateway().sessionServiceUrl());
    this.memoryService = URI.create(config.gateway().memoryServiceUrl());
    this.devTokens = config.gateway().devTokens();
  }

  void routes(@Observes Router router) {
    router.routeWithRegex(RouteTable.pathRegex()).order(-10).handler(this::handle);
    router
        .get("/")
        .handler(
            rc -> {
              if (devTokens) {
                rc.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(SignInPage.HTML);
              } else {
                rc.redirect("/app/");
              }
            });
  }

  private void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    request.pause();
    String path = request.path();
    Optional<Caller> caller = authenticator.authenticate(request);
    if (caller.isEmpty()) {
      String accept = request.getHeader(HttpHeaders.ACCEPT);
      if (devTokens && path.startsWith("/app") && accept != null && accept.contains("text/html")) {
        // a browser without a token, on a development run: to the sign-in page
        rc.redirect("/");
        return;
      }
      Replies.unauthorized(rc.response(), path);
      return;
    }
    String userId = caller.get().userId();
    if (ReservedUsers.isReserved(userId)) {
      // the broker's own users never come through the gateway (its warm-up calls its own API)
      Replies.reservedUser(rc.response(), path);
      return;
    }
    Upstream upstream = RouteTable.route(path).orElseThrow();
    // Decided in this replica when it can: the rate limit from the local bucket, the route from
    // the cached assignment (for requests that can be sent again should the instance refuse).
    Decision local = limiter.tryTake(userId);
    Optional<Assignment> cached =
        upstream == Upstream.INSTANCE && resendable(request)
            ? connections.cachedAssignment(userId)
            : Optional.empty();
    if (local != null && (upstream != Upstream.INSTANCE || cached.isPresent())) {
      dispatch(rc, caller.get(), upstream, local, cached, cached.isPresent());
      return;
    }
    // Otherwise what is missing is read from Redis, both at once: one round trip.
    Uni<Decision> decision = local != null ? Uni.createFrom().item(local) : limiter.take(userId);
    Uni<Optional<Assignment>> known =
        upstream == Upstream.INSTANCE
            ? connections.assignment(userId)
            : Uni.createFrom().item(Optional.empty());
    Context context = Vertx.currentContext();
    Uni.combine()
        .all()
        .unis(decision, known)
        .asTuple()
        .emitOn(task -> context.runOnContext(v -> task.run()))
        .subscribe()
        .with(
            found ->
                dispatch(rc, caller.get(), upstream, found.getItem1(), found.getItem2(), false),
            failure -> Replies.unavailable(rc.response(), path, failure.getMessage()));
  }

  private void dispatch(
      RoutingContext rc,
      Caller caller,
      Upstream upstream,
      Decision decision,
      Optional<Assignment> known,
      boolean fromCache) {
    String path = rc.request().path();
    if (!decision.allowed()) {
      Replies.rateLimited(rc.response(), path, decision.retryAfterMillis());
    } else if (upstream == Upstream.INSTANCE) {
      if (fromCache) {
        forwardCached(rc, caller, known.orElseThrow());
      } else {
        toInstance(rc, caller, known);
      }
    } else {
      URI base = upstream == Upstream.SESSION_SERVICE ? sessionService : memoryService;
      forward(rc, base, caller, null)
          .onFailure(
              e ->
                  Replies.unavailable(
                      rc.response(), path, upstream.displayName() + " is not reachable right now"));
    }
  }

  /**
   * Forwards by a cached assignment. Should the instance refuse the caller (it serves someone else
   * or nobody: 403, 503; or 404) or not answer, the entry was stale: it is dropped and the request
   * routed by the assignment in Redis, as if nothing had been cached.
   */
  private void forwardCached(RoutingContext rc, Caller caller, Assignment cached) {
    forward(rc, URI.create(cached.endpoint()), caller, STALE_ROUTE)
        .onFailure(
            e -> {
              LOG.debugf("Cached route of %s stale (%s)", caller.userId(), e.getMessage());
              connections.dropCached(cached);
              Context context = Vertx.currentContext();
              connections
                  .assignment(caller.userId())
                  .emitOn(task -> context.runOnContext(v -> task.run()))
                  .subscribe()
                  .with(
                      fresh -> toInstance(rc, caller, fresh),
                      failure ->
                          Replies.unavailable(
                              rc.response(), rc.request().path(), failure.getMessage()));
            });
  }

  /** Forwards to the caller's instance: the one assigned, else one claimed now. */
  private void toInstance(RoutingContext rc, Caller caller, Optional<Assignment> known) {
    if (known.isPresent()) {
      forwardToInstance(rc, caller, known.get());
      return;
    }
    Context context = Vertx.currentContext();
    connections
        .connect(caller.userId())
        .chain(() -> connections.assignment(caller.userId()))
        .map(a -> a.orElseThrow(() -> new IllegalStateException("no assignment")))
        .emitOn(task -> context.runOnContext(v -> task.run()))
        .subscribe()
        .with(
            assignment -> forwardToInstance(rc, caller, assignment),
            failure ->
                Replies.unavailable(
                    rc.response(),
                    rc.request().path(),
                    "No instance is available for you right now"));
  }

  private void forwardToInstance(RoutingContext rc, Caller caller, Assignment assignment) {
    forward(rc, URI.create(assignment.endpoint()), caller, null)
        .onFailure(
            e -> {
              LOG.warnf("Instance %s unreachable: %s", assignment.instance(), e.getMessage());
              // answered once the assignment is gone, so the caller's next request claims anew
              Context context = Vertx.currentContext();
              releaser
                  .lost(assignment)
                  .onFailure()
                  .invoke(f -> LOG.warnf("Lost instance not released: %s", f.getMessage()))
                  .onFailure()
                  .recoverWithNull()
                  .emitOn(task -> context.runOnContext(v -> task.run()))
                  .subscribe()
                  .with(
                      done ->
                          Replies.unavailable(
                              rc.response(),
                              rc.request().path(),
                              "Your instance was lost; reconnect to get a new one"));
            });
  }

  /** A request that has no body (so it can be sent a second time) and whose method is safe. */
  private static boolean resendable(HttpServerRequest request) {
    HttpMethod method = request.method();
    boolean safe =
        method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return safe
        && (length == null || "0".equals(length))
        && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null;
  }

  private Future<Void> forward(RoutingContext rc, URI base, Caller caller, IntPredicate refused) {
    HttpServerRequest request = rc.request();
    boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
    try {
      return upgrade
          ? proxies.webSocket().forward(request, base, caller.token())
          : proxies.http().forward(request, base, caller.token(), refused);
    } catch (RuntimeException e) {
      // a failure here would otherwise be dropped and leave the caller without an answer
      LOG.errorf(e, "Cannot forward %s to %s", request.path(), base);
      return Future.failedFuture(e);
    }
  }
}
