package dev.engram.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

  private final AtomicInteger verifications = new AtomicInteger();
  private final Map<String, Long> expiries = new HashMap<>();
  private final VerifiedTokens tokens =
      new VerifiedTokens(
          new DefaultJWTParser() {
            @Override
            public JsonWebToken parse(String token) throws ParseException {
              verifications.incrementAndGet();
              Long exp = expiries.get(token);
              if (exp == null) {
                throw new ParseException("bad signature");
              }
              return jwt(token, exp);
            }
          });

  @Test
  void aTokenIsVerifiedOnceUntilItExpires() throws Exception {
    expiries.put("good", now() + 300);
    JsonWebToken first = tokens.parse("good");
    assertThat(tokens.parse("good")).isSameAs(first);
    assertThat(verifications).hasValue(1);
  }

  @Test
  void anExpiredOrInvalidTokenIsVerifiedEveryTime() throws Exception {
    expiries.put("old", now() - 1);
    tokens.parse("old");
    tokens.parse("old");
    assertThatThrownBy(() -> tokens.parse("forged")).isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> tokens.parse("forged")).isInstanceOf(ParseException.class);
    assertThat(verifications).hasValue(4);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static JsonWebToken jwt(String raw, long exp) {
    return new JsonWebToken() {
      @Override
      public String getName() {
        return raw;
      }

      @Override
      public Set<String> getClaimNames() {
        return Set.of("exp");
      }

      @Override
      @SuppressWarnings("unchecked")
      public <T> T getClaim(String claimName) {
        return "exp".equals(claimName) ? (T) Long.valueOf(exp) : null;
      }
    };
  }
}
