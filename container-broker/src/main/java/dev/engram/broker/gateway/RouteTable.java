package dev.engram.broker.gateway;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which upstream serves a path: a prefix matches itself and everything below it. */
public final class RouteTable {

  /** Every routed prefix, for the router's path pattern. */
  static final Map<String, Upstream> PREFIXES =
      Map.ofEntries(
          Map.entry("/api/v1/sessions", Upstream.SESSION_SERVICE),
          Map.entry("/api/v1/users", Upstream.SESSION_SERVICE),
          Map.entry("/api/v1/memories", Upstream.MEMORY_SERVICE),
          Map.entry("/api/v1/facts", Upstream.MEMORY_SERVICE),
          Map.entry("/api/v1/procedures", Upstream.MEMORY_SERVICE),
          Map.entry("/api/v1/recall", Upstream.MEMORY_SERVICE),
          Map.entry("/api/v1/clusters", Upstream.MEMORY_SERVICE),
          Map.entry("/api/v1/analytics", Upstream.MEMORY_SERVICE),
          Map.entry("/ws", Upstream.INSTANCE),
          Map.entry("/app", Upstream.INSTANCE),
          Map.entry("/api/v1/turns", Upstream.INSTANCE),
          Map.entry("/api/v1/stm", Upstream.INSTANCE),
          Map.entry("/api/v1/context", Upstream.INSTANCE));

  private RouteTable() {}

  public static Optional<Upstream> route(String path) {
    for (Map.Entry<String, Upstream> entry : PREFIXES.entrySet()) {
      String prefix = entry.getKey();
      if (path.equals(prefix) || path.startsWith(prefix + "/")) {
        return Optional.of(entry.getValue());
      }
    }
    return Optional.empty();
  }

  /** A regular expression matching every routed path. */
  static String pathRegex() {
    List<String> quoted = PREFIXES.keySet().stream().map(p -> p.replace("/", "\\/")).toList();
    return "^(" + String.join("|", quoted) + ")(\\/.*)?$";
  }
}
