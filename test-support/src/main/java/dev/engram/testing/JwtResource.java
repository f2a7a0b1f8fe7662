package dev.engram.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource that points SmallRye JWT at the keys {@link TestTokens} minted for this
 * JVM: verification with the public key and issuer, signing (for services that issue tokens) with
 * the private key.
 */
public class JwtResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    return Map.of(
        "mp.jwt.verify.publickey.location",
        TestTokens.publicKeyPem().toUri().toString(),
        "mp.jwt.verify.issuer",
        TestTokens.ISSUER,
        "smallrye.jwt.sign.key.location",
        TestTokens.privateKeyPem().toUri().toString(),
        "smallrye.jwt.new-token.issuer",
        TestTokens.ISSUER);
  }

  @Override
  public void stop() {
    // The keys live as long as the JVM.
  }
}
