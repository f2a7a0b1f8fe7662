// The whole flow in a browser, as a person would use it, against the running suite (driven by
// Browser.java): sign in at the gateway with a name, chat, see the memory form, complete the
// session, start a new one and be remembered. Debian's headless Chromium through playwright-core,
// taken from orchestrator-service's web UI build (no browser download).
//
// env: ENGRAM_GATEWAY (http://127.0.0.1:port), ENGRAM_USER, WEBUI (orchestrator-service's
// src/main/webui, for playwright-core), CHROMIUM, SCREENSHOT
import { createRequire } from "node:module";

const require = createRequire(`${process.env.WEBUI}/package.json`);
const { chromium } = require("playwright-core");

const gateway = process.env.ENGRAM_GATEWAY;
const user = process.env.ENGRAM_USER;
const screenshot = process.env.SCREENSHOT;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
page.on("console", (m) => console.log(`console.${m.type()}: ${m.text()}`));
page.setDefaultTimeout(60000);
const fail = async (message) => {
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
  console.error(`FAILED: ${message}`);
  await browser.close();
  process.exit(1);
};
const answerCount = () => page.locator(".msg.assistant:not(.streaming) .meta").count();
const ask = async (text) => {
  const before = await answerCount();
  await page.fill("#input", text);
  await page.press("#input", "Enter");
  await page.waitForFunction(
    (n) => document.querySelectorAll(".msg.assistant:not(.streaming) .meta").length > n, before);
  const answers = await page.locator(".msg.assistant .text").allTextContents();
  return answers[answers.length - 1];
};

try {
  // The web UI without a token sends a browser to the gateway's sign-in page.
  await page.goto(`${gateway}/app/`);
  await page.waitForSelector("#signin");
  await page.fill("#user", user);
  await page.click("#continue");
  await page.waitForURL(/\/app\//);
  await page.waitForSelector('#status[data-state="online"]');
  console.log("SIGNED IN");

  const first = await ask("I am planning a trip to Kyoto in April. Remember that I love temples!");
  if (!first.startsWith("[offline responder")) await fail(`unexpected answer: ${first}`);
  await page.waitForSelector("#session-list li.current");
  await page.waitForSelector("#stm-list .stm-item >> text=Kyoto");
  console.log("ANSWERED");

  // memory-service ingests the message; its memory.created reaches the page (activity, list).
  await page.waitForSelector("#activity li >> text=remembered", { timeout: 90000 });
  await page.click('button[data-view="memories"]');
  await page.waitForSelector("#mem-list .vrow >> text=Kyoto");
  await page.click('button[data-view="chat"]');
  console.log("REMEMBERED");

  // Complete this session, start a new one, ask about what was said before.
  await page.click('#session-actions button[data-action="complete"]');
  await page.waitForSelector("#session-list li.current .badge.completed");
  const sessions = await page.locator("#session-list li").count();
  await page.click("#new-session");
  await page.waitForFunction((n) => document.querySelectorAll("#session-list li").length > n, sessions);
  await page.waitForSelector("#session-list li.current .badge.active");
  const recall = await ask("What do you remember about my trip to Kyoto?");
  if (!recall.includes("temples")) await fail(`not remembered in the new session: ${recall}`);
  console.log("RECALLED");

  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  console.log("PASSED");
  await browser.close();
} catch (e) {
  await fail(e.message);
}
