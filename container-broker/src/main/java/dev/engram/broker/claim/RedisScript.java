package dev.engram.broker.claim;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), sent whole only when Redis does not know it yet
 * (a restarted Redis), so a call carries a few bytes instead of the script.
 */
public final class RedisScript {

  private final String source;
  private final String sha;

  public RedisScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  /** Runs the script with {@code keys} and then {@code args}. */
  public Uni<Response> run(RedisAPI redis, List<String> keys, List<String> args) {
    List<String> rest = new ArrayList<>(keys.size() + args.size() + 1);
    rest.add(String.valueOf(keys.size()));
    rest.addAll(keys);
    rest.addAll(args);
    return redis
        .evalsha(prepend(sha, rest))
        .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT"))
        .recoverWithUni(() -> redis.eval(prepend(source, rest)));
  }

  /** Loads the script into Redis ahead of its first use. */
  public Uni<Void> load(RedisAPI redis) {
    return redis.script(List.of("LOAD", source)).replaceWithVoid();
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>(rest.size() + 1);
    all.add(first);
    all.addAll(rest);
    return all;
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
