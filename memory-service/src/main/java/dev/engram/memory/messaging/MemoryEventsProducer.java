package dev.engram.memory.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The Kafka producer side of {@code engram.memories}; created only once messaging is wired. */
@ApplicationScoped
public class MemoryEventsProducer {

  @Inject
  @Channel("engram-memories")
  MutinyEmitter<byte[]> emitter;

  /** Sends a record and completes when Kafka acknowledged it. */
  public Uni<Void> send(Message<byte[]> message) {
    return emitter.sendMessage(message);
  }
}
