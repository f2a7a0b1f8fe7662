package dev.engram.broker.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/** The listeners of a runtime's view; a failing listener never stops the others. */
public final class RuntimeListeners {

  private static final Logger LOG = Logger.getLogger(RuntimeListeners.class);

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public void add(Runnable listener) {
    listeners.add(listener);
  }

  public void fire() {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("A runtime listener failed", e);
      }
    }
  }
}
