package dev.engram.broker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the broker can be told: which runtime, the pool's shape, claims and the gateway. */
@ConfigMapping(prefix = "engram.broker")
public interface BrokerConfig {

  /**
   * Which runtime hosts the orchestrator instances: {@code kubernetes} or {@code local-process}.
   */
  @WithDefault("local-process")
  String runtime();

  /** The warm pool. */
  Pool pool();

  /** Claims and their leases. */
  Claim claim();

  /** The local-process runtime (a laptop). */
  Local local();

  /** The Kubernetes runtime. */
  Kubernetes kubernetes();

  /** The gateway in front of the services and the users' instances. */
  Gateway gateway();

  /** The warm pool's shape and the controller's pace. */
  interface Pool {

    /** Unbound, ready instances kept warm. */
    @WithDefault("2")
    int targetWarm();

    /** Instances of every state together never exceed this. */
    @WithDefault("20")
    int maxTotal();

    /** Instances the background refill may start per second (a token bucket). */
    @WithDefault("1")
    double refillRate();

    /** Instances the background refill may start at once after a quiet period. */
    @WithDefault("3")
    int refillBurst();

    /** The first pause after an instance fails to become ready; doubles per failure in a row. */
    @WithDefault("5s")
    Duration backoffInitial();

    /** The longest pause between refill attempts while instances keep failing. */
    @WithDefault("5m")
    Duration backoffMax();

    /** An instance not ready this long after creation counts as failed. */
    @WithDefault("3m")
    Duration startupTimeout();

    /** A bound instance whose user showed no activity this long is released and culled. */
    @WithDefault("30m")
    Duration idleTimeout();

    /** Instances older than this are recycled (released first when bound). */
    @WithDefault("12h")
    Duration maxLifetime();

    /** The controller reconciles at least this often (and at once on every change it sees). */
    @WithDefault("5s")
    Duration reconcileInterval();

    /** How often the controller stamps a healthy instance's heartbeat and renews its lease. */
    @WithDefault("30s")
    Duration heartbeatInterval();

    /** A reconcile step that takes longer is abandoned (and recorded as failed). */
    @WithDefault("30s")
    Duration stepTimeout();

    /** An instance whose heartbeat is older than this is an orphan and is collected. */
    @WithDefault("5m")
    Duration orphanAfter();
  }

  /** Claims: binding a user to an instance. */
  interface Claim {

    /** How long the assignment user → instance lives in Redis without a renewal. */
    @WithDefault("2m")
    Duration leaseTtl();

    /** The longest a connect waits for an instance (a cold start included). */
    @WithDefault("3m")
    Duration timeout();

    /** How long the broker's own token for the orchestrator's internal API lives. */
    @WithDefault("5m")
    Duration tokenLifetime();

    /** Timeout of one call to an instance's internal API. */
    @WithDefault("10s")
    Duration callTimeout();

    /**
     * Claims and releases of a reserved user ({@code .engram-warmup-*}) this replica makes through
     * its own API at start-up, once a warm instance exists, so that the claim path is compiled
     * before users arrive (0: none; none either with {@code pool.target-warm} 0). Readiness ({@code
     * claim-warm-up}) waits for them.
     */
    @WithDefault("20")
    int warmUpRounds();

    /** Readiness waits this long at most for the warm-up; then it goes up anyway and says why. */
    @WithDefault("30s")
    Duration warmUpTimeout();
  }

  /** Orchestrator jars started as child processes on this machine. */
  interface Local {

    /** The orchestrator's {@code quarkus-run.jar}. */
    @WithDefault("orchestrator-service/target/quarkus-app/quarkus-run.jar")
    String jar();

    /** The {@code java} executable; the broker's own when empty. */
    Optional<String> java();

    /** JVM options of each instance, space separated. */
    @WithDefault("-Xms32m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
    String jvmOptions();

    /**
     * How many times a new instance's internal API is run before it counts as warm (a status read,
     * a refused bind, then as many binds and releases of a user with no state), so that a claim
     * does not pay for the first runs of that code. An instance a cold start waits for is primed
     * once: its user would wait for the other rounds.
     */
    @WithDefault("3")
    int primingRounds();

    /** First port tried for instances (0: any free port). */
    @WithDefault("8090")
    int basePort();

    /** Directory of the instances' logs; a temporary directory when empty. */
    Optional<String> logDir();

    /** Host the instances listen on and the gateway reaches them at. */
    @WithDefault("127.0.0.1")
    String host();

    /** Extra environment of each instance (the broker's own environment is inherited). */
    Map<String, String> env();
  }

  /** Pods in the broker's namespace. */
  interface Kubernetes {

    /** Namespace of the pods and the lease; the client's namespace when empty. */
    Optional<String> namespace();

    /** The pool's name: {@code app.kubernetes.io/instance} and {@code engram.dev/pool}. */
    @WithDefault("engram")
    String pool();

    /** The orchestrator image. */
    @WithDefault("engram/orchestrator-service:latest")
    String image();

    /** Image pull policy of the orchestrator container. */
    @WithDefault("IfNotPresent")
    String imagePullPolicy();

    /** The orchestrator's HTTP port inside the pod. */
    @WithDefault("8080")
    int port();

    /** The Lease of the leader election (created by the elector when missing). */
    @WithDefault("engram-broker")
    String leaseName();

    /**
     * The ConfigMap (in the pods' namespace) that owns every pod, so that deleting it lets
     * Kubernetes collect them: the chart names its orchestrator pod template, which {@code helm
     * uninstall} deletes. The broker reads it (get, list and watch of that one name); while it is
     * configured but missing no pod is created, and pods owned by an earlier one are orphans.
     * Empty: pods have no owner (they outlive the broker's deployment).
     */
    Optional<String> ownerConfigMap();

    /** This replica's identity in the election; the host name when empty. */
    Optional<String> identity();

    /** How long a leader's lease lasts without a renewal. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** A leader that cannot renew within this gives up leadership. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often candidates retry and leaders renew. */
    @WithDefault("2s")
    Duration retryPeriod();

    /** Informer resync period: every pod is re-examined at least this often. */
    @WithDefault("60s")
    Duration resyncPeriod();

    /**
     * A pod manifest (YAML, {@code kind: Pod}) every orchestrator pod starts from, so secrets,
     * volumes (the JWT public key), scheduling and security settings come from the deployment (the
     * chart mounts one at {@code /etc/engram/broker/orchestrator-pod.yaml}). The broker overlays
     * its name, labels, annotation, owner, {@code restartPolicy: Never}, the {@code http} port and
     * its environment. Without it the broker builds the pod from the keys below.
     */
    Optional<String> podTemplate();

    /** ConfigMap whose keys become the orchestrator's environment (optional). */
    Optional<String> envConfigMap();

    /** Secret whose keys become the orchestrator's environment (optional). */
    Optional<String> envSecret();

    /** Service account of the pods (its token is never mounted). */
    Optional<String> serviceAccount();

    /** The user the orchestrator container runs as. */
    @WithDefault("185")
    long runAsUser();

    /** Container resources. */
    Resources resources();

    /** Extra environment of the orchestrator container. */
    Map<String, String> env();
  }

  /** Requests and limits of the orchestrator container. */
  interface Resources {

    @WithDefault("250m")
    String requestsCpu();

    @WithDefault("384Mi")
    String requestsMemory();

    @WithDefault("1")
    String limitsCpu();

    @WithDefault("512Mi")
    String limitsMemory();
  }

  /** The public entry point. */
  interface Gateway {

    /** session-service's base URL. */
    @WithDefault("http://127.0.0.1:8081")
    String sessionServiceUrl();

    /** memory-service's base URL. */
    @WithDefault("http://127.0.0.1:8082")
    String memoryServiceUrl();

    /** Name of the cookie the web UI's sign-in sets with the token. */
    @WithDefault("engram_token")
    String tokenCookie();

    /** Requests a user may make in a burst. */
    @WithDefault("60")
    int rateLimitCapacity();

    /** Requests per second a user's bucket refills with. */
    @WithDefault("20")
    double rateLimitRefillPerSecond();

    /**
     * How often a replica settles what it admitted locally with the shared bucket in Redis (and
     * learns what the other replicas spent). The shorter, the closer N replicas stay to one limit.
     */
    @WithDefault("100ms")
    Duration rateLimitSyncInterval();

    /**
     * How long the gateway routes a user by the assignment it cached without reading it from Redis
     * again (it is also dropped at once when this replica sees it change, when the instance is no
     * longer bound to the user in its view, and when the instance refuses the user). 0 disables the
     * cache.
     */
    @WithDefault("30s")
    Duration assignmentCacheTtl();

    /** Timeout of a proxied call to a service or an instance. */
    @WithDefault("60s")
    Duration upstreamTimeout();

    /**
     * WebSocket subprotocols the gateway agrees to when a caller offers them (the orchestrator's
     * own: the web UI offers {@code bearer-token-carrier} next to the one carrying its token).
     */
    @WithDefault("bearer-token-carrier")
    List<String> websocketSubprotocols();

    /** Whether {@code POST /api/v1/dev/token} mints tokens (development only). */
    @WithDefault("false")
    boolean devTokens();

    /** Lifetime of a development token. */
    @WithDefault("12h")
    Duration devTokenLifetime();

    /** The group a token needs for the operators' endpoints. */
    @WithDefault("operator")
    String operatorGroup();
  }
}
