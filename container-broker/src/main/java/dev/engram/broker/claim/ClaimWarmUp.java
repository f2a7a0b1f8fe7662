package dev.engram.broker.claim;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.runtime.PodRuntime;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Runs this replica's claim path before users arrive: once the pool holds a warm instance, {@code
 * engram.broker.claim.warm-up-rounds} claims and releases of a reserved user ({@value #USER}
 * followed by this replica's own suffix, so that replicas starting together do not release each
 * other's warm-up claims) through the replica's own API ({@code POST} and {@code DELETE
 * /api/v1/connect}, each with a new token), so that JWT verification, the Redis scripts, recording
 * the user on the instance, the bind and release calls and the assignment's JSON are loaded and
 * compiled by then; the first claims of real users otherwise pay for it (tens of milliseconds
 * each). Readiness ({@link ClaimWarmUpCheck}) waits for it, at most {@code warm-up-timeout}.
 *
 * <p>The reserved user leaves nothing behind: each release removes its assignment, the instance
 * returns to the pool with no state (an empty state is not snapshotted), and its claims and
 * releases are not published as pod events or counted in the claim metrics ({@link #isWarmUpUser}),
 * so no consumer sees a user that does not exist. Development tokens are not issued for it, and the
 * API refuses it from anyone but this replica's warm-up ({@link #admits}).
 */
@ApplicationScoped
public class ClaimWarmUp {

  /** What the reserved users of the warm-up claims are called: this and a replica's suffix. */
  public static final String USER = ReservedUsers.PREFIX + "warmup";

  /**
   * The claim of the warm-up's tokens that carries this replica's warm-up secret: the broker's API
   * refuses reserved users ({@link ReservedUsers}) but admits this replica's own warm-up user with
   * it ({@link #admits}). The secret is drawn at start-up and never leaves the process (the tokens
   * go to the replica's own port on 127.0.0.1), so a token signed elsewhere cannot carry it.
   */
  static final String SECRET_CLAIM = "engram_warm_up";

  /** How the warm-up ended, or that it is still running. */
  public enum State {
    RUNNING,
    DONE,
    OFF,
    TIMED_OUT,
    FAILED
  }

  /**
   * Where the warm-up stands: running until it is done, fails or its time is up (whichever comes
   * first decides; nothing changes it afterwards).
   */
  public static final class Progress {

    private final int rounds;
    private final long deadlineNanos;
    private final AtomicInteger done = new AtomicInteger();
    private State state;
    private String reason = "";

    /** {@code rounds} to run (0: off), ending by {@code startedNanos + timeout}. */
    public Progress(int rounds, Duration timeout, long startedNanos) {
      this.rounds = Math.max(0, rounds);
      this.deadlineNanos = startedNanos + timeout.toNanos();
      this.state = this.rounds == 0 ? State.OFF : State.RUNNING;
    }

    /** The state as of {@code nowNanos} ({@link System#nanoTime()}): times out when overdue. */
    public synchronized State state(long nowNanos) {
      if (state == State.RUNNING && nowNanos - deadlineNanos > 0) {
        end(
            State.TIMED_OUT,
            "not finished in time ("
                + done.get()
                + " of "
                + rounds
                + " rounds; "
                + (done.get() == 0 ? "no warm instance yet, or " : "")
                + "a slow claim path)");
      }
      return state;
    }

    /** One more round ran. */
    public void roundDone() {
      done.incrementAndGet();
    }

    /** Ends the warm-up (if still running) as {@code end}, for {@code why}. */
    public synchronized boolean end(State end, String why) {
      if (state != State.RUNNING) {
        return false;
      }
      state = end;
      reason = why;
      if (end == State.DONE) {
        LOG.infof("Claim path warmed up: %d claims and releases of %s-*", done.get(), USER);
      } else {
        LOG.warnf("Claim warm-up %s, ready anyway: %s", end.name().toLowerCase(Locale.ROOT), why);
      }
      return true;
    }

    public int rounds() {
      return rounds;
    }

    public int roundsDone() {
      return done.get();
    }

    /** Why it ended as it did (empty while running or when done). */
    public synchronized String reason() {
      return reason;
    }
  }

  private static final Logger LOG = Logger.getLogger(ClaimWarmUp.class);
  private static final long POLL_MILLIS = 100;
  private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(2);

  private final Vertx vertx;
  private final PodRuntime runtime;
  private final BrokerTokens tokens;
  private final Duration timeout;
  private final Progress progress;
  private final AtomicBoolean started = new AtomicBoolean();
  private final String user = USER + "-" + UUID.randomUUID().toString().substring(0, 8);
  private final String secret = newSecret();
  private HttpClient http;

  ClaimWarmUp(Vertx vertx, PodRuntime runtime, BrokerTokens tokens, BrokerConfig config) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.tokens = tokens;
    this.timeout = config.claim().warmUpTimeout();
    // with no warm pool there is nothing to claim warm (and a cold start per round is no warm-up)
    int rounds = config.pool().targetWarm() > 0 ? config.claim().warmUpRounds() : 0;
    this.progress = new Progress(rounds, timeout, System.nanoTime());
  }

  /** This replica's warm-up user. */
  public String user() {
    return user;
  }

  /**
   * Whether {@code jwt} is one of this replica's warm-up tokens: its subject is this replica's
   * warm-up user and it carries this replica's secret. The only reserved user the API serves.
   */
  public boolean admits(JsonWebToken jwt) {
    Object claim = jwt.getClaim(SECRET_CLAIM);
    String presented =
        claim instanceof JsonString json
            ? json.getString()
            : claim instanceof String text ? text : null;
    return user.equals(jwt.getSubject())
        && presented != null
        && MessageDigest.isEqual(
            secret.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Whether {@code userId} is the warm-up's reserved user (not published, not counted). */
  public static boolean isWarmUpUser(String userId) {
    return userId != null && userId.startsWith(USER);
  }

  /** The HTTP server listens: wait for a warm instance, then claim and release it. */
  void start(@ObservesAsync HttpServerStart start) {
    if (!running() || !started.compareAndSet(false, true)) {
      return;
    }
    http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port(start.options().getPort()))
                .setKeepAlive(true)
                .setIdleTimeout(10));
    awaitWarm()
        .compose(ignored -> round(0))
        .onComplete(
            result -> {
              if (result.succeeded()) {
                progress.end(State.DONE, "");
              } else {
                progress.end(State.FAILED, String.valueOf(result.cause().getMessage()));
              }
              http.close();
            });
  }

  /** Where the warm-up stands (what readiness reports). */
  public Progress progress() {
    return progress;
  }

  private boolean running() {
    return progress.state(System.nanoTime()) == State.RUNNING;
  }

  private Future<Void> awaitWarm() {
    Promise<Void> warm = Promise.promise();
    poll(warm);
    return warm.future();
  }

  private void poll(Promise<Void> warm) {
    if (!running()) {
      warm.tryFail("the warm-up ended: " + progress.state(System.nanoTime()));
    } else if (runtime.instances().stream().anyMatch(Instance::isWarm)) {
      warm.tryComplete();
    } else {
      vertx.setTimer(POLL_MILLIS, id -> poll(warm));
    }
  }

  private Future<Void> round(int n) {
    if (n >= progress.rounds() || !running()) {
      return Future.succeededFuture();
    }
    String token =
        tokens.forUser(user, Set.of("user"), TOKEN_LIFETIME, Map.of(SECRET_CLAIM, secret));
    return call(HttpMethod.POST, token, 200)
        .compose(ignored -> call(HttpMethod.DELETE, token, 204))
        .compose(
            ignored -> {
              progress.roundDone();
              return round(n + 1);
            });
  }

  private Future<Void> call(HttpMethod method, String token, int expected) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setURI("/api/v1/connect")
            .setTimeout(timeout.toMillis())
            .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
            .putHeader(HttpHeaders.ACCEPT, "application/json");
    return http.request(options)
        .compose(request -> request.send())
        .compose(
            response ->
                response
                    .body()
                    .compose(
                        body ->
                            response.statusCode() == expected
                                ? Future.<Void>succeededFuture()
                                : Future.<Void>failedFuture(
                                    method
                                        + " /api/v1/connect answered "
                                        + response.statusCode()
                                        + ": "
                                        + body)));
  }

  /** The port the server listens on (the test port's actual value when it was 0). */
  private static int port(int announced) {
    if (announced > 0) {
      return announced;
    }
    String key =
        LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
    return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(8080);
  }
}
