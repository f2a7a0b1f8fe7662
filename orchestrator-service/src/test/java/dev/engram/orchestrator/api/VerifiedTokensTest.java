package dev.engram.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.orchestrator.service.binding.BindingChanged;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

  private final AtomicInteger verifications = new AtomicInteger();
  private final Map<String, Long> expiries = new HashMap<>();
  private final Map<String, String> subjects = new HashMap<>();
  private final Set<String> brokers = new HashSet<>();
  private final AtomicReference<String> boundUser = new AtomicReference<>("alice");
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
              return jwt(
                  token, exp, subjects.getOrDefault(token, "alice"), brokers.contains(token));
            }
          },
          subject -> subject.equals(boundUser.get()));

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

  @Test
  void theUsersTokensAreForgottenWhenTheBindingChangesAndTheBrokersAreKept() throws Exception {
    expiries.put("alice-1", now() + 300);
    expiries.put("alice-2", now() + 300);
    expiries.put("broker", now() + 300);
    subjects.put("broker", "container-broker");
    brokers.add("broker");
    tokens.parse("alice-1");
    tokens.parse("alice-2");
    tokens.parse("broker");
    assertThat(tokens.remembered()).isEqualTo(3);

    boundUser.set(null); // released
    tokens.onBindingChanged(new BindingChanged(null));

    assertThat(tokens.remembers("alice-1")).isFalse();
    assertThat(tokens.remembers("alice-2")).isFalse();
    assertThat(tokens.remembers("broker")).isTrue();
    // a user token presented again is verified again (and, while nobody is bound, not kept)
    tokens.parse("alice-1");
    assertThat(verifications).hasValue(4);
    assertThat(tokens.remembers("alice-1")).isFalse();
  }

  @Test
  void onlyTheBoundUsersTokensAreRemembered() throws Exception {
    expiries.put("mallory", now() + 300);
    subjects.put("mallory", "mallory");
    tokens.parse("mallory");
    tokens.parse("mallory");
    assertThat(verifications).hasValue(2);
    assertThat(tokens.remembered()).isZero();
  }

  @Test
  void aTokenVerifiedWhileItsUserWasReleasedIsNotKept() throws Exception {
    expiries.put("late", now() + 300);
    AtomicInteger asked = new AtomicInteger();
    // the release lands between the check before the token is kept and the one after
    VerifiedTokens racing =
        new VerifiedTokens(
            new DefaultJWTParser() {
              @Override
              public JsonWebToken parse(String token) {
                return jwt(token, expiries.get(token), "alice", false);
              }
            },
            subject -> asked.incrementAndGet() == 1);
    racing.parse("late");
    assertThat(racing.remembers("late")).isFalse();
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static JsonWebToken jwt(String raw, long exp, String subject, boolean broker) {
    return new JsonWebToken() {
      @Override
      public String getName() {
        return raw;
      }

      @Override
      public Set<String> getClaimNames() {
        return Set.of("exp", "sub", "groups");
      }

      @Override
      @SuppressWarnings("unchecked")
      public <T> T getClaim(String claimName) {
        return switch (claimName) {
          case "exp" -> (T) Long.valueOf(exp);
          case "sub" -> (T) subject;
          case "groups" -> broker ? (T) Set.of("engram-broker") : null;
          default -> null;
        };
      }
    };
  }
}
