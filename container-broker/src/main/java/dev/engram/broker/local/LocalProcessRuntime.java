package dev.engram.broker.local;

import dev.engram.broker.claim.OrchestratorClient;
import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.pool.Activity;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.broker.pool.Reservations;
import dev.engram.broker.runtime.ClaimConflictException;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.broker.runtime.RuntimeListeners;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Typed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Orchestrator instances as child processes of the broker ({@code java -jar quarkus-run.jar}), each
 * on its own port, for a single machine. An instance is warm when its {@code /q/health/ready}
 * answers 200 and it has been primed (its internal API called once without effect); a process that
 * exits is failed (or gone, when deleted).
 */
@ApplicationScoped
@Typed(LocalProcessRuntime.class)
public class LocalProcessRuntime implements PodRuntime {

  public static final String NAME = "local-process";
  private static final Logger LOG = Logger.getLogger(LocalProcessRuntime.class);

  private final BrokerConfig.Local config;
  private final Clock clock;
  private final ReadinessProbe probe;
  private final OrchestratorClient orchestrator;
  private final Reservations reservations;
  private final PortAllocator ports;
  private final Map<String, LocalInstance> instances = new ConcurrentHashMap<>();
  private final RuntimeListeners listeners = new RuntimeListeners();

  LocalProcessRuntime(
      BrokerConfig config,
      Clock clock,
      ReadinessProbe probe,
      OrchestratorClient orchestrator,
      Reservations reservations) {
    this.config = config.local();
    this.clock = clock;
    this.probe = probe;
    this.orchestrator = orchestrator;
    this.reservations = reservations;
    this.ports = new PortAllocator(config.local().host(), config.local().basePort());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    // The processes are this broker's children: there is nothing to rebuild.
  }

  @Override
  public void stop() {
    // Instances keep running until deleted or until the broker shuts down.
  }

  void onShutdown(@Observes ShutdownEvent event) {
    instances.values().forEach(i -> i.terminate());
    instances.values().forEach(this::stopProcess);
  }

  @Override
  public Collection<Instance> instances() {
    return instances.values().stream().map(LocalInstance::snapshot).toList();
  }

  @Override
  public Optional<Instance> find(String name) {
    return Optional.ofNullable(instances.get(name)).map(LocalInstance::snapshot);
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public Uni<Instance> create() {
    return Uni.createFrom()
        .item(this::launch)
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  private Instance launch() {
    String name = "orchestrator-" + UUID.randomUUID().toString().substring(0, 8);
    LocalInstance instance;
    synchronized (ports) {
      // Chosen and recorded at once: a port stays free until the child binds it, seconds later.
      int port = ports.next(instances.values().stream().map(LocalInstance::port).toList());
      instance = new LocalInstance(name, config.host(), port, clock.instant());
      instances.put(name, instance);
    }
    try {
      Process process = new ProcessLauncher(config).start(name, instance.port(), logFile(name));
      instance.attach(process);
      process.onExit().thenRun(() -> exited(instance));
      LOG.infof("Started instance %s (pid %d) on port %d", name, process.pid(), instance.port());
    } catch (IOException e) {
      LOG.errorf(e, "Cannot start instance %s", name);
      instance.fail();
      listeners.fire();
      return instance.snapshot();
    }
    listeners.fire();
    String endpoint = instance.snapshot().endpoint();
    probe.awaitReady(
        endpoint,
        () -> instance.snapshot().phase() == InstancePhase.STARTING,
        ready -> {
          if (!ready) {
            changed(instance.fail());
            return;
          }
          // Warm only once primed: a claim then never pays for the instance's first requests. An
          // instance a claim already waits for (a cold start, reserved by that claim) is primed
          // once, the first runs being what costs most: more rounds would be its user's time.
          int rounds = reservations.isReserved(name) ? 1 : config.primingRounds();
          orchestrator
              .prime(endpoint, rounds)
              .subscribe()
              .with(
                  v -> changed(instance.ready(clock.instant())),
                  e -> {
                    LOG.warnf("Priming %s failed: %s", name, e.getMessage());
                    changed(instance.ready(clock.instant()));
                  });
        });
    return instance.snapshot();
  }

  private void changed(boolean changed) {
    if (changed) {
      listeners.fire();
    }
  }

  private Path logFile(String name) throws IOException {
    Path dir =
        config
            .logDir()
            .map(Path::of)
            .orElse(Path.of(System.getProperty("java.io.tmpdir"), "engram-instances"));
    Files.createDirectories(dir);
    return dir.resolve(name + ".log");
  }

  private void exited(LocalInstance instance) {
    if (instance.snapshot().phase() == InstancePhase.TERMINATING) {
      instances.remove(instance.name());
      LOG.infof("Instance %s stopped", instance.name());
    } else {
      LOG.warnf("Instance %s exited unexpectedly", instance.name());
      instance.fail();
    }
    listeners.fire();
  }

  @Override
  public Uni<Instance> claim(Instance warm, String userId, String claimId) {
    return Uni.createFrom()
        .item(
            () -> {
              LocalInstance instance = instances.get(warm.name());
              if (instance == null
                  || !instance.claim(warm.version(), userId, claimId, clock.instant())) {
                throw new ClaimConflictException(warm.name());
              }
              listeners.fire();
              return instance.snapshot();
            });
  }

  @Override
  public Uni<Boolean> unbind(Instance bound) {
    return Uni.createFrom()
        .item(
            () -> {
              LocalInstance instance = instances.get(bound.name());
              if (instance == null || !instance.unbind(bound.claimId())) {
                return false; // unbound already, or bound by another claim: nothing to undo
              }
              listeners.fire();
              return true;
            });
  }

  @Override
  public Uni<Void> retire(Instance warm) {
    return Uni.createFrom()
        .deferred(
            () -> {
              LocalInstance instance = instances.get(warm.name());
              if (instance == null || !instance.retire(warm.version())) {
                return Uni.createFrom().failure(new ClaimConflictException(warm.name()));
              }
              return delete(warm);
            });
  }

  @Override
  public Uni<Void> delete(Instance target) {
    return Uni.createFrom()
        .item(
            () -> {
              LocalInstance instance = instances.get(target.name());
              if (instance != null) {
                instance.terminate();
                listeners.fire();
                Process process = instance.process();
                if (process == null || !process.isAlive()) {
                  instances.remove(instance.name());
                  listeners.fire();
                } else {
                  process.destroy();
                  CompletableFuture.delayedExecutor(15, TimeUnit.SECONDS)
                      .execute(process::destroyForcibly);
                }
              }
              return (Void) null;
            });
  }

  @Override
  public Uni<Boolean> heartbeat(Instance target, Instant at, Activity activity) {
    LocalInstance instance = instances.get(target.name());
    return Uni.createFrom()
        .item(instance != null && instance.heartbeat(at, activity, target.claimId()));
  }

  private void stopProcess(LocalInstance instance) {
    Process process = instance.process();
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
