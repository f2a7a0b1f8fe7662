package dev.engram.memory.api;

import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller: the subject of the bearer token. */
@RequestScoped
public class CurrentUser {

  private final JsonWebToken token;

  public CurrentUser(JsonWebToken token) {
    this.token = token;
  }

  public String id() {
    String subject = token.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new io.quarkus.security.UnauthorizedException("The token has no subject");
    }
    return subject;
  }
}
