package dev.engram.orchestrator.service.llm;

/** The provider answered with an error status. 429 and 5xx are worth a retry; others are not. */
public class ProviderHttpException extends RuntimeException {

  private final int status;

  public ProviderHttpException(int status, String body) {
    super(
        "provider answered " + status + (body == null || body.isBlank() ? "" : ": " + clip(body)));
    this.status = status;
  }

  public int status() {
    return status;
  }

  public boolean retryable() {
    return status == 429 || status >= 500;
  }

  private static String clip(String body) {
    return body.length() > 300 ? body.substring(0, 300) + "…" : body;
  }
}
