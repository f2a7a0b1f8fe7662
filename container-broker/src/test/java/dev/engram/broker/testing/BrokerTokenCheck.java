package dev.engram.broker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Verifies, as the orchestrator does, that a bearer token is the broker's own. */
final class BrokerTokenCheck {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BrokerTokenCheck() {}

  static boolean isBroker(String authorization, Path keyPem) {
    if (keyPem == null || authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    String[] parts = authorization.substring(7).split("\\.");
    if (parts.length != 3) {
      return false;
    }
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key(keyPem));
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        return false;
      }
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      boolean inGroup = false;
      for (JsonNode group : claims.path("groups")) {
        inGroup |= "engram-broker".equals(group.asText());
      }
      return inGroup
          && "engram".equals(claims.path("iss").asText())
          && claims.path("exp").asLong() > System.currentTimeMillis() / 1000;
    } catch (Exception e) {
      return false;
    }
  }

  private static PublicKey key(Path keyPem) throws Exception {
    String pem = Files.readString(keyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
  }
}
