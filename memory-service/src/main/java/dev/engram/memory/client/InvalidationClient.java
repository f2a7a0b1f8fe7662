package dev.engram.memory.client;

import dev.engram.memory.config.MemoryConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Tells the other replicas that a user's memories changed, over one Redis pub/sub channel, so they
 * can trust their L1 entries without asking Redis for the user's version on every search.
 *
 * <p>A message names the user, the version the change was given ({@link VectorCacheClient#bump})
 * and what changed ({@link Invalidation.Kind}). Pub/sub delivers at most once: a message sent while
 * a replica's subscription is down is lost. So every replica also publishes a heartbeat to itself
 * each second, and the subscription counts as {@link #live()} only while its own heartbeats come
 * back; when they do not, the caches fall back to confirming the version on each read, and the
 * subscription is made again. A message lost in the moment before that is noticed is caught by the
 * version (epoch) check a cache still makes now and then ({@code l1-recheck}).
 */
@ApplicationScoped
public class InvalidationClient {

  static final String CHANNEL = "engram:memory:l1-invalidations";
  private static final Logger LOG = Logger.getLogger(InvalidationClient.class);

  /** A change to one user's memories, made at {@code version} by replica {@code origin}. */
  public record Invalidation(Kind kind, String userId, long version, String origin) {

    /** What changed. */
    public enum Kind {
      /** Vectors, states or rows: the whole L1 entry is stale. */
      ALL,
      /** Only columns of the rows (strength, access count, cluster): the vectors are current. */
      ROWS,
      /** The user was erased. */
      FORGET,
      /** A replica's heartbeat to itself. */
      PING
    }

    String encode() {
      return kind.name() + " " + version + " " + origin + " " + userId;
    }

    static Invalidation decode(String message) {
      String[] parts = message.split(" ", 4);
      if (parts.length < 4) {
        return null;
      }
      try {
        return new Invalidation(
            Kind.valueOf(parts[0]), parts[3], Long.parseLong(parts[1]), parts[2]);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }

  private final ReactivePubSubCommands<String> pubsub;
  private final Duration timeout;
  private final Duration liveness;
  private final String replica = UUID.randomUUID().toString();
  private final List<Consumer<Invalidation>> listeners = new CopyOnWriteArrayList<>();
  private volatile ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;
  private volatile boolean subscribing;
  private volatile long subscribedAtNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
  private volatile long lastPingNanos = System.nanoTime() - Duration.ofDays(1).toNanos();

  public InvalidationClient(ReactiveRedisDataSource redis, MemoryConfig config) {
    this.pubsub = redis.pubsub(String.class);
    this.timeout = config.cache().redisTimeout();
    this.liveness = config.cache().l1SubscriptionTimeout();
  }

  /** This replica's id, the origin of the messages it sends. */
  public String replica() {
    return replica;
  }

  /** Registers a listener for the other replicas' invalidations. */
  public void listen(Consumer<Invalidation> listener) {
    listeners.add(listener);
  }

  /**
   * Whether this replica receives invalidations now: its own heartbeat came back within {@code
   * l1-subscription-timeout}.
   */
  public boolean live() {
    return System.nanoTime() - lastPingNanos < liveness.toNanos();
  }

  /** Tells the other replicas about a change; never fails (a lost message is caught by epochs). */
  public Uni<Void> publish(Invalidation.Kind kind, String userId, long version) {
    return send(new Invalidation(kind, userId, version, replica));
  }

  private Uni<Void> send(Invalidation invalidation) {
    return pubsub
        .publish(CHANNEL, invalidation.encode())
        .ifNoItem()
        .after(timeout)
        .fail()
        .onFailure()
        .invoke(e -> LOG.debugf("Invalidation not published: %s", e.toString()))
        .onFailure()
        .recoverWithNull();
  }

  void onStart(@Observes StartupEvent event) {
    heartbeat().subscribe().with(ok -> {}, e -> {});
  }

  /** Publishes the heartbeat, and subscribes again when the last ones did not come back. */
  @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public Uni<Void> heartbeat() {
    // a fresh subscription is given the time its first heartbeats need to come back
    boolean stale = !live() && System.nanoTime() - subscribedAtNanos >= liveness.toNanos();
    Uni<Void> subscribed = stale ? resubscribe() : Uni.createFrom().voidItem();
    return subscribed.chain(() -> send(new Invalidation(Invalidation.Kind.PING, "-", 0, replica)));
  }

  private Uni<Void> resubscribe() {
    if (subscribing) {
      return Uni.createFrom().voidItem();
    }
    subscribing = true;
    subscribedAtNanos = System.nanoTime();
    ReactivePubSubCommands.ReactiveRedisSubscriber previous = subscriber;
    Uni<Void> dropped =
        previous == null
            ? Uni.createFrom().voidItem()
            : previous.unsubscribe().ifNoItem().after(timeout).fail().onFailure().recoverWithNull();
    return dropped
        .chain(
            () ->
                pubsub
                    .subscribe(
                        CHANNEL,
                        this::received,
                        () -> {},
                        e -> LOG.debugf("Invalidation subscription failed: %s", e.toString()))
                    .ifNoItem()
                    .after(timeout)
                    .fail())
        .invoke(s -> subscriber = s)
        .onFailure()
        .invoke(e -> LOG.debugf("Cannot subscribe to invalidations: %s", e.toString()))
        .onFailure()
        .recoverWithNull()
        .onTermination()
        .invoke(() -> subscribing = false)
        .replaceWithVoid();
  }

  /** Ends the subscription (it holds one of the Redis pool's connections). */
  @jakarta.annotation.PreDestroy
  public void close() {
    ReactivePubSubCommands.ReactiveRedisSubscriber current = subscriber;
    subscriber = null;
    lastPingNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
    if (current != null) {
      current
          .unsubscribe()
          .ifNoItem()
          .after(timeout)
          .fail()
          .onFailure()
          .recoverWithNull()
          .await()
          .indefinitely();
    }
  }

  private void received(String message) {
    Invalidation invalidation = Invalidation.decode(message);
    if (invalidation == null || !invalidation.origin().equals(replica)) {
      if (invalidation != null && invalidation.kind() != Invalidation.Kind.PING) {
        for (Consumer<Invalidation> listener : listeners) {
          try {
            listener.accept(invalidation);
          } catch (RuntimeException e) {
            LOG.warnf("Invalidation listener failed: %s", e.toString());
          }
        }
      }
      return;
    }
    if (invalidation.kind() == Invalidation.Kind.PING) {
      lastPingNanos = System.nanoTime();
    }
  }
}
