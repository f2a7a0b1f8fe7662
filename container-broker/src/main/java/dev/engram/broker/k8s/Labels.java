package dev.engram.broker.k8s;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Every label and annotation the broker puts on its pods, and what they mean. */
public final class Labels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** The pool the pod belongs to. */
  public static final String POOL = "engram.dev/pool";

  /** {@value #UNBOUND}, {@value #BOUND} or {@value #RETIRING}. */
  public static final String STATE = "engram.dev/state";

  /** A hash of the bound user's id (user ids need not be valid label values). */
  public static final String USER = "engram.dev/user";

  public static final String UNBOUND = "unbound";

  /** Being deleted by the controller (claimed for deletion, optimistically locked). */
  public static final String RETIRING = "retiring";

  public static final String BOUND = "bound";

  /** Annotation: the bound user's id. */
  public static final String USER_ID = "engram.dev/user-id";

  /** Annotation: the claim that bound the pod. */
  public static final String CLAIM_ID = "engram.dev/claim-id";

  /** Annotation: when the pod was bound (ISO-8601). */
  public static final String BOUND_AT = "engram.dev/bound-at";

  /** Annotation: the broker's last positive observation of the pod (ISO-8601). */
  public static final String HEARTBEAT = "engram.dev/heartbeat";

  /** Annotation: the activity time the bound instance last reported (ISO-8601, its clock). */
  public static final String ACTIVITY_REPORTED = "engram.dev/activity-reported";

  /** Annotation: when (broker's clock) that report was first seen; idleness counts from here. */
  public static final String ACTIVE_SINCE = "engram.dev/active-since";

  /** Annotation: the broker replica that created the pod. */
  public static final String CREATED_BY = "engram.dev/created-by";

  public static final String APP_NAME = "orchestrator-service";
  public static final String APP_COMPONENT = "orchestrator";
  public static final String APP_PART_OF = "engram";
  public static final String APP_MANAGED_BY = "container-broker";

  private Labels() {}

  /** The labels every pod of {@code pool} carries from creation on. */
  public static Map<String, String> forNewPod(String pool) {
    return Map.of(
        NAME, APP_NAME,
        INSTANCE, pool,
        COMPONENT, APP_COMPONENT,
        PART_OF, APP_PART_OF,
        MANAGED_BY, APP_MANAGED_BY,
        POOL, pool,
        STATE, UNBOUND);
  }

  /** The selector of the pool's pods, bound or not. */
  public static Map<String, String> selector(String pool) {
    return Map.of(COMPONENT, APP_COMPONENT, MANAGED_BY, APP_MANAGED_BY, POOL, pool);
  }

  /** The label value for a user: the first 40 hex digits of the SHA-256 of the id. */
  public static String userHash(String userId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
