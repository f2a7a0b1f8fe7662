package dev.engram.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An opt-in second listener of an {@link EmbeddedKafka}, named {@value #NAME}, that wants SASL
 * authentication: mechanisms {@code PLAIN}, {@code SCRAM-SHA-256} and {@code SCRAM-SHA-512} are all
 * enabled, for the same users and passwords. Over TLS ({@code SASL_SSL}) the broker presents a
 * certificate for {@code localhost} signed by a CA generated for it ({@link #tls()}); otherwise the
 * listener speaks {@code SASL_PLAINTEXT}.
 *
 * <p>The broker's own listener ({@link EmbeddedKafka#bootstrapServers()}) stays PLAINTEXT without
 * authentication, for the test's setup (topics, SCRAM credentials) and for every other test.
 *
 * @param users user name to password, known to every mechanism
 * @param tls the CA and the broker's certificate, when the listener speaks TLS
 */
public record SaslListener(Map<String, String> users, Optional<LocalhostTls> tls) {

  /** The listener's name in the broker's configuration. */
  public static final String NAME = "SASL";

  /** Every mechanism the listener accepts. */
  public static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  public SaslListener {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("a SASL listener needs at least one user");
    }
    users.forEach(
        (user, password) -> {
          if ((user + password).contains("\"") || (user + password).contains("\\")) {
            // the broker's PLAIN users are a JAAS line, where both end or escape a quoted value
            throw new IllegalArgumentException(
                "a user or password with a double quote or a backslash: " + user);
          }
        });
    users = Map.copyOf(users);
  }

  /** {@code SASL_PLAINTEXT}: authentication, no encryption. */
  public static SaslListener plaintext(Map<String, String> users) {
    return new SaslListener(users, Optional.empty());
  }

  /** {@code SASL_SSL}: authentication over TLS, the certificate signed by a fresh private CA. */
  public static SaslListener overTls(Map<String, String> users) {
    return new SaslListener(users, Optional.of(LocalhostTls.generate()));
  }

  /** {@code SASL_SSL} or {@code SASL_PLAINTEXT}. */
  public String securityProtocol() {
    return tls.isPresent() ? "SASL_SSL" : "SASL_PLAINTEXT";
  }

  /**
   * The JAAS line a client puts in {@code sasl.jaas.config} for {@code mechanism}, as the Helm
   * chart composes it.
   */
  public static String jaasConfig(String mechanism, String user, String password) {
    String module =
        mechanism.equals("PLAIN")
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return module + " required username=\"" + user + "\" password=\"" + password + "\";";
  }

  /** The broker settings of this listener (listener-scoped, so the other listeners keep theirs). */
  Map<String, String> brokerConfig() {
    String prefix = "listener.name." + NAME.toLowerCase() + ".";
    Map<String, String> config = new LinkedHashMap<>();
    config.put("sasl.enabled.mechanisms", String.join(",", MECHANISMS));
    StringBuilder plain =
        new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
    users.forEach(
        (user, password) ->
            plain.append(" user_").append(user).append("=\"").append(password).append('"'));
    config.put(prefix + "plain.sasl.jaas.config", plain.append(';').toString());
    for (String scram : List.of("scram-sha-256", "scram-sha-512")) {
      config.put(
          prefix + scram + ".sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    tls.ifPresent(
        certs -> {
          config.put(prefix + "ssl.keystore.type", "PEM");
          config.put(prefix + "ssl.keystore.certificate.chain", certs.serverCertificateChainPem());
          config.put(prefix + "ssl.keystore.key", certs.serverPrivateKeyPem());
        });
    return config;
  }
}
