package dev.engram.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority minted by the test JVM and a server certificate it signed for
 * {@code localhost} and {@code 127.0.0.1}, all in PEM: what an operator of a managed Kafka with a
 * private CA hands to its clients (the CA) and to its brokers (the key and the chain).
 *
 * @param caCertificatePem the CA's certificate, the clients' trust store
 * @param serverCertificateChainPem the server certificate followed by the CA's
 * @param serverPrivateKeyPem the server's private key, unencrypted PKCS#8
 */
public record LocalhostTls(
    String caCertificatePem, String serverCertificateChainPem, String serverPrivateKeyPem) {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A new CA and a server certificate for localhost, valid from an hour ago for a day. */
  public static LocalhostTls generate() {
    try {
      KeyPair ca = rsaKeyPair();
      X500Name caName = new X500Name("CN=Engram test CA " + SERIAL.get());
      X509Certificate caCert =
          sign(
              caName,
              ca.getPrivate(),
              caName,
              ca.getPublic(),
              builder -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
              });
      KeyPair server = rsaKeyPair();
      X509Certificate serverCert =
          sign(
              caName,
              ca.getPrivate(),
              new X500Name("CN=localhost"),
              server.getPublic(),
              builder -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(
                    Extension.extendedKeyUsage,
                    false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(
                        new GeneralName[] {
                          new GeneralName(GeneralName.dNSName, "localhost"),
                          new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                        }));
              });
      return new LocalhostTls(
          pem("CERTIFICATE", caCert.getEncoded()),
          pem("CERTIFICATE", serverCert.getEncoded()) + pem("CERTIFICATE", caCert.getEncoded()),
          pem("PRIVATE KEY", server.getPrivate().getEncoded()));
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("Cannot generate the test certificates", e);
    }
  }

  private interface Extensions {
    void add(X509v3CertificateBuilder builder) throws java.io.IOException;
  }

  private static X509Certificate sign(
      X500Name issuer,
      PrivateKey issuerKey,
      X500Name subject,
      PublicKey subjectKey,
      Extensions extensions)
      throws GeneralSecurityException, OperatorCreationException, java.io.IOException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            subject,
            subjectKey);
    extensions.add(builder);
    var signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static KeyPair rsaKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
