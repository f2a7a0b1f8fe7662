package dev.engram.broker.gateway;

import dev.engram.broker.claim.Assignment;
import dev.engram.broker.claim.ConnectService;
import dev.engram.broker.claim.Releaser;
import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.gateway.GatewayAuthenticator.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Optional;
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
    Upstream upstream = RouteTable.route(path).orElseThrow();
    String userId = caller.get().userId();
    // The rate limit and the caller's assignment are looked up in Redis at once: one round trip.
    Uni<Optional<Assignment>> known =
        upstream == Upstream.INSTANCE
            ? connections.assignment(userId)
            : Uni.createFrom().item(Optional.empty());
    Context context = Vertx.currentContext();
    Uni.combine()
        .all()
        .unis(limiter.take(userId), known)
        .asTuple()
        .emitOn(task -> context.runOnContext(v -> task.run()))
        .subscribe()
        .with(
            found -> {
              if (!found.getItem1().allowed()) {
                Replies.rateLimited(rc.response(), path, found.getItem1().retryAfterMillis());
              } else if (upstream == Upstream.INSTANCE) {
                toInstance(rc, caller.get(), found.getItem2());
              } else {
                URI base = upstream == Upstream.SESSION_SERVICE ? sessionService : memoryService;
                forward(rc, base, caller.get())
                    .onFailure(
                        e ->
                            Replies.unavailable(
                                rc.response(),
                                path,
                                upstream.displayName() + " is not reachable right now"));
              }
            },
            failure -> Replies.unavailable(rc.response(), path, failure.getMessage()));
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
    forward(rc, URI.create(assignment.endpoint()), caller)
        .onFailure(
            e -> {
              LOG.warnf("Instance %s unreachable: %s", assignment.instance(), e.getMessage());
              releaser.lost(assignment).subscribe().with(v -> {}, f -> {});
              Replies.unavailable(
                  rc.response(),
                  rc.request().path(),
                  "Your instance was lost; reconnect to get a new one");
            });
  }

  private Future<Void> forward(RoutingContext rc, URI base, Caller caller) {
    HttpServerRequest request = rc.request();
    boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
    try {
      return upgrade
          ? proxies.webSocket().forward(request, base, caller.token())
          : proxies.http().forward(request, base, caller.token());
    } catch (RuntimeException e) {
      // a failure here would otherwise be dropped and leave the caller without an answer
      LOG.errorf(e, "Cannot forward %s to %s", request.path(), base);
      return Future.failedFuture(e);
    }
  }
}
