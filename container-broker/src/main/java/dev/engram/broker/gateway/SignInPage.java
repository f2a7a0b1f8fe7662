package dev.engram.broker.gateway;

/**
 * The development sign-in page the gateway serves at {@code /} when development tokens are on: a
 * user name is enough; it mints a token ({@code POST /api/v1/dev/token}, which also sets the web
 * UI's cookie) and opens the web UI with it.
 */
final class SignInPage {

  static final String HTML =
      """
      <!doctype html>
      <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Engram: sign in</title>
        <style>
          body { font: 16px system-ui, sans-serif; max-width: 26rem; margin: 5rem auto; padding: 0 1rem; }
          input, button { font: inherit; padding: .5rem .7rem; }
          input { width: 100%; box-sizing: border-box; margin: .5rem 0 1rem; }
          .error { color: #b00020; }
          .muted { color: #666; font-size: .9rem; }
        </style>
      </head>
      <body>
        <h1>Engram</h1>
        <form id="signin">
          <label for="user">Your name (a development sign-in: any name will do)</label>
          <input id="user" name="user" required maxlength="128" autofocus
                 placeholder="alice" autocomplete="username">
          <button type="submit" id="continue">Continue</button>
        </form>
        <p id="error" class="error"></p>
        <p class="muted">Letters, digits and . _ @ - only. The same name brings back the same
          memories.</p>
        <script>
          document.getElementById("signin").addEventListener("submit", async (e) => {
            e.preventDefault();
            const userId = document.getElementById("user").value.trim();
            const reply = await fetch("/api/v1/dev/token", {
              method: "POST",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify({ userId }),
            });
            const body = await reply.json().catch(() => ({}));
            if (!reply.ok) {
              document.getElementById("error").textContent = body.detail || "Sign-in failed";
              return;
            }
            location.assign("/app/#token=" + encodeURIComponent(body.token));
          });
        </script>
      </body>
      </html>
      """;

  private SignInPage() {}
}
