package dev.engram.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/e2e/flow.e2e.mjs} in Node.js: Debian's headless Chromium driven by the
 * playwright-core that orchestrator-service's web UI build installs (the same way its BrowserTest
 * finds them). The screenshot is kept at {@code target/browser/flow.png}.
 */
final class Browser {

  private Browser() {}

  static void run(Stack stack, Gateway gateway) throws IOException, InterruptedException {
    String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    assertThat(Path.of(chromium))
        .as("Chromium is needed for the browser test (apt-get install chromium; .ci/run does)")
        .isExecutable();
    Path webui = stack.root.resolve("orchestrator-service/src/main/webui");
    assertThat(webui.resolve("node_modules/playwright-core"))
        .as("orchestrator-service's build installs the web UI's npm packages")
        .isDirectory();
    Path screenshot = Path.of("target/browser/flow.png").toAbsolutePath();
    Files.createDirectories(screenshot.getParent());
    Files.deleteIfExists(screenshot);
    Path output = screenshot.resolveSibling("flow.log");

    ProcessBuilder builder =
        new ProcessBuilder("node", Path.of("src/test/e2e/flow.e2e.mjs").toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().put("ENGRAM_GATEWAY", gateway.base);
    builder.environment().put("ENGRAM_USER", "bob");
    builder.environment().put("WEBUI", webui.toString());
    builder.environment().put("CHROMIUM", chromium);
    builder.environment().put("SCREENSHOT", screenshot.toString());
    Process node = builder.start();
    try {
      boolean finished = node.waitFor(5, TimeUnit.MINUTES);
      String log = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(finished).as("the browser script finished:\n" + log).isTrue();
      assertThat(node.exitValue()).as(log).isZero();
      assertThat(log).contains("SIGNED IN", "ANSWERED", "REMEMBERED", "RECALLED", "PASSED");
      assertThat(screenshot).isNotEmptyFile();
    } finally {
      node.destroyForcibly();
    }
  }
}
