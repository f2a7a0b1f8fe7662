package dev.engram.broker.k8s;

import java.security.SecureRandom;

/** Names of the objects the broker creates. */
public final class Names {

  private static final char[] ALPHABET = "bcdfghjklmnpqrstvwxz2456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The orchestrator container inside every pod. */
  public static final String CONTAINER = "orchestrator";

  /** The writable scratch volume (the root filesystem is read-only). */
  public static final String TMP_VOLUME = "tmp";

  private Names() {}

  /** A new pod name: {@code <pool>-orchestrator-<5 random characters>}. */
  public static String newPod(String pool) {
    StringBuilder name = new StringBuilder(pool).append("-orchestrator-");
    for (int i = 0; i < 5; i++) {
      name.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return name.toString();
  }
}
