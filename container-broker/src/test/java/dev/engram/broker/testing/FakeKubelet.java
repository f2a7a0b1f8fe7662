package dev.engram.broker.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the mock API server lacks: a kubelet. It gives every new pod a status: running and ready on
 * its own loopback address (where {@link FakeOrchestrator} answers), or failed, as the test wants.
 * It talks to the API server as an {@link ApiHelper}, not as the broker.
 */
public final class FakeKubelet implements AutoCloseable {

  /** What happens to new pods. */
  public enum Mode {
    READY,
    FAIL,
    PENDING
  }

  /**
   * The next pod address, counted JVM-wide: each test class may run in an application (and class
   * loader) of its own, while {@link FakeOrchestrator} keeps its per-address state for the JVM, so
   * an address handed out twice would inherit an earlier pod's user.
   */
  private static final String NEXT_ADDRESS = "engram.test.fake-kubelet.next-address";

  private static FakeKubelet shared;

  private final KubernetesClient client;
  private final KubernetesClient helper;
  private final SharedIndexInformer<Pod> informer;
  private volatile Mode mode = Mode.READY;
  private final AtomicInteger started = new AtomicInteger();

  public FakeKubelet(KubernetesClient client, String namespace) {
    this.client = client;
    this.helper = ApiHelper.of(client);
    this.informer =
        helper
            .pods()
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    run(pod);
                  }

                  @Override
                  public void onUpdate(Pod oldPod, Pod newPod) {}

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {}
                },
                0);
  }

  /**
   * The one kubelet of the running application's mock API server (test classes sharing the
   * application share it; two kubelets would both start each pod).
   */
  public static synchronized FakeKubelet shared(KubernetesClient client, String namespace) {
    if (shared != null && shared.client != client) {
      shared.close();
      shared = null;
    }
    if (shared == null) {
      shared = new FakeKubelet(client, namespace);
    }
    return shared;
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  /** Pods this kubelet has started (ready or failed). */
  public int started() {
    return started.get();
  }

  private void run(Pod pod) {
    if (pod.getStatus() != null && pod.getStatus().getPhase() != null) {
      return;
    }
    Mode now = mode;
    if (now == Mode.PENDING) {
      return;
    }
    started.incrementAndGet();
    int n = nextAddress();
    String ip = "127.1." + (n / 250) + "." + (n % 250 + 1);
    PodStatusBuilder status = new PodStatusBuilder().withStartTime(Instant.now().toString());
    if (now == Mode.READY) {
      status
          .withPhase("Running")
          .withPodIP(ip)
          .withConditions(
              new PodConditionBuilder()
                  .withType("Ready")
                  .withStatus("True")
                  .withLastTransitionTime(Instant.now().toString())
                  .build());
    } else {
      status.withPhase("Failed").withReason("Error");
    }
    pod.setStatus(status.build());
    pod.getMetadata().setResourceVersion(null);
    try {
      helper.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
    } catch (KubernetesClientException e) {
      // deleted meanwhile
    }
  }

  private static int nextAddress() {
    synchronized (System.getProperties()) {
      int n = Integer.getInteger(NEXT_ADDRESS, 1);
      System.setProperty(NEXT_ADDRESS, String.valueOf(n + 1));
      return n;
    }
  }

  @Override
  public void close() {
    informer.close();
    helper.close();
  }
}
