package dev.engram.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TestTokensTest {

  @Test
  void tokenIsSignedByThePublishedKeyAndNamesTheUser() throws Exception {
    String[] parts = TestTokens.forUser("alice").split("\\.");

    String pem = Files.readString(TestTokens.publicKeyPem());
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").trim());
    PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(key);
    rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));

    assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(claims.get("sub").asText()).isEqualTo("alice");
    assertThat(claims.get("iss").asText()).isEqualTo(TestTokens.ISSUER);
    assertThat(claims.get("exp").asLong()).isGreaterThan(claims.get("iat").asLong());
  }
}
