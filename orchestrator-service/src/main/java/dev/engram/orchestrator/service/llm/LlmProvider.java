package dev.engram.orchestrator.service.llm;

import io.smallrye.mutiny.Multi;

/** Something that answers a prompt as a stream of text deltas. */
public interface LlmProvider {

  /** The name reported in {@code done} frames and {@code turn.completed}, e.g. {@code openai}. */
  String name();

  /** Whether this is the built-in offline responder rather than a model. */
  boolean offline();

  /**
   * Streams the answer. Fails with a {@code ProblemException} of type {@code provider-unavailable}
   * when the provider cannot answer.
   */
  Multi<String> stream(Prompt prompt);
}
