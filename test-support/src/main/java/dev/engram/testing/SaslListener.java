package dev.engram.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.awaitility.Awaitility;

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

  /**
   * Declares this listener next to the two the test kit declares (the broker's PLAINTEXT one, also
   * used between broker and controller, and the controller's), on a port of its own, with its
   * users, mechanisms and certificate. The broker accepts SASL on this listener only.
   */
  void addTo(KafkaClusterTestKit.Builder builder, TestKitNodes nodes) {
    String broker = nodes.brokerListenerName().value();
    String controller = nodes.controllerListenerName().value();
    builder
        .setConfigProp(
            "listener.security.protocol.map",
            String.join(
                ",",
                broker + ":" + nodes.brokerListenerProtocol().name,
                controller + ":" + nodes.controllerListenerProtocol().name,
                NAME + ":" + securityProtocol()))
        .setConfigProp(
            "listeners",
            String.join(
                ",",
                broker + "://localhost:0",
                controller + "://localhost:0",
                NAME + "://localhost:0"));
    String prefix = "listener.name." + NAME.toLowerCase() + ".";
    builder.setConfigProp(prefix + "sasl.enabled.mechanisms", String.join(",", MECHANISMS));
    StringBuilder plain =
        new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
    users.forEach(
        (user, password) ->
            plain.append(" user_").append(user).append("=\"").append(password).append('"'));
    builder.setConfigProp(prefix + "plain.sasl.jaas.config", plain.append(';').toString());
    for (String scram : List.of("scram-sha-256", "scram-sha-512")) {
      builder.setConfigProp(
          prefix + scram + ".sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    tls.ifPresent(
        certs -> {
          builder.setConfigProp(prefix + "ssl.keystore.type", "PEM");
          builder.setConfigProp(
              prefix + "ssl.keystore.certificate.chain", certs.serverCertificateChainPem());
          builder.setConfigProp(prefix + "ssl.keystore.key", certs.serverPrivateKeyPem());
        });
  }

  /**
   * Stores the users' SCRAM credentials (SCRAM users live in the cluster's metadata, not in the
   * broker's configuration) and waits until the broker knows them.
   */
  void createScramCredentials(Admin admin) throws Exception {
    // one request per mechanism: the broker refuses a user twice in one request
    for (ScramMechanism mechanism :
        List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
      List<UserScramCredentialAlteration> upserts = new ArrayList<>();
      users.forEach(
          (user, password) ->
              upserts.add(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(mechanism, 4096), password)));
      admin.alterUserScramCredentials(upserts).all().get();
    }
    Awaitility.await("SCRAM credentials known to the broker")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin.describeUserScramCredentials().all().get().values().stream()
                        .filter(d -> d.credentialInfos().size() == 2)
                        .count()
                    == users.size());
  }
}
