package dev.engram.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signing keys minted by the tests themselves (an RSA key pair per JVM, never committed) and RS256
 * JWTs signed with them, in the shape Engram's services accept: issuer {@link #ISSUER}, the user id
 * as subject.
 */
public final class TestTokens {

  /** The issuer every Engram service verifies by default. */
  public static final String ISSUER = "engram";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final String KEYS_DIR_PROPERTY = "engram.test.keys.dir";
  private static KeyMaterial keys;

  private TestTokens() {}

  /** A token for {@code userId}, valid for an hour, in the {@code user} group. */
  public static String forUser(String userId) {
    return mint(userId, List.of("user"), Duration.ofHours(1), Map.of());
  }

  /** A signed RS256 token with the given subject, groups, lifetime and extra claims. */
  public static String mint(
      String subject, List<String> groups, Duration lifetime, Map<String, Object> extraClaims) {
    Instant now = Instant.now();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", subject);
    claims.put("groups", groups);
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", now.plus(lifetime).getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
    claims.putAll(extraClaims);
    return sign(Map.of("alg", "RS256", "typ", "JWT", "kid", "engram-test"), claims);
  }

  /** A token with a valid signature that expired {@code ago}. */
  public static String expired(String subject, Duration ago) {
    Instant now = Instant.now();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", subject);
    claims.put("iat", now.minus(ago).minusSeconds(60).getEpochSecond());
    claims.put("exp", now.minus(ago).getEpochSecond());
    return sign(Map.of("alg", "RS256", "typ", "JWT"), claims);
  }

  /** The PEM file of the public key, for {@code mp.jwt.verify.publickey.location}. */
  public static synchronized Path publicKeyPem() {
    return keys().publicPem;
  }

  /** The PEM (PKCS#8) file of the private key, for {@code smallrye.jwt.sign.key.location}. */
  public static synchronized Path privateKeyPem() {
    return keys().privatePem;
  }

  private static String sign(Map<String, Object> header, Map<String, Object> claims) {
    try {
      String signingInput =
          B64URL.encodeToString(JSON.writeValueAsBytes(header))
              + "."
              + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(keys().pair.getPrivate());
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64URL.encodeToString(rsa.sign());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The JVM's keys. Quarkus loads test resources and test classes through different class loaders,
   * each with its own copy of this class; the first copy generates the keys and records where it
   * wrote them in a system property, and every other copy loads the same keys from there.
   */
  private static synchronized KeyMaterial keys() {
    if (keys == null) {
      synchronized (System.class) {
        String dir = System.getProperty(KEYS_DIR_PROPERTY);
        if (dir == null) {
          keys = KeyMaterial.generate();
          System.setProperty(KEYS_DIR_PROPERTY, keys.publicPem.getParent().toString());
        } else {
          keys = KeyMaterial.load(Path.of(dir));
        }
      }
    }
    return keys;
  }

  private record KeyMaterial(KeyPair pair, Path publicPem, Path privatePem) {

    static KeyMaterial generate() {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path dir = Files.createTempDirectory("engram-test-keys");
        dir.toFile().deleteOnExit();
        Path publicPem = dir.resolve("public.pem");
        Path privatePem = dir.resolve("private.pem");
        Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Files.writeString(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        publicPem.toFile().deleteOnExit();
        privatePem.toFile().deleteOnExit();
        return new KeyMaterial(pair, publicPem, privatePem);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    static KeyMaterial load(Path dir) {
      try {
        Path publicPem = dir.resolve("public.pem");
        Path privatePem = dir.resolve("private.pem");
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        PublicKey publicKey =
            rsa.generatePublic(new X509EncodedKeySpec(der(Files.readString(publicPem))));
        PrivateKey privateKey =
            rsa.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(privatePem))));
        return new KeyMaterial(new KeyPair(publicKey, privateKey), publicPem, privatePem);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    private static byte[] der(String pem) {
      return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    private static String pem(String type, byte[] der) {
      String body =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
      return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
  }
}
