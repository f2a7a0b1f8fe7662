// Browser test of the web UI, driven by BrowserTest (JUnit) against the running test instance:
// Debian's Chromium, headless, through playwright-core (no browser download).
//
// env: ENGRAM_URL (the /app/ URL with #token=...), CHROMIUM (executable), SCREENSHOT (png path)
// stdout protocol: prints "ANSWERED" once the streamed answer is complete, then waits for the
// test to publish a memory event; exits 0 when every check passed.
import { chromium } from "playwright-core";

const url = process.env.ENGRAM_URL;
const screenshot = process.env.SCREENSHOT;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const fail = async (page, message) => {
  if (page && screenshot) await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
  console.error(`FAILED: ${message}`);
  await browser.close();
  process.exit(1);
};

const open = async (name) => {
  const p = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  p.on("console", (m) => console.log(`${name} console.${m.type()}: ${m.text()}`));
  p.setDefaultTimeout(30000);
  // What the page's WebSocket receives, by frame type.
  p.received = new Map();
  // What it sends: the user_message frames.
  p.sent = [];
  p.on("websocket", (ws) => {
    ws.on("framereceived", (f) => {
      try {
        const type = JSON.parse(f.payload).type;
        p.received.set(type, (p.received.get(type) ?? 0) + 1);
      } catch {}
    });
    ws.on("framesent", (f) => {
      try {
        const frame = JSON.parse(f.payload);
        if (frame.type === "user_message") p.sent.push(frame);
      } catch {}
    });
  });
  return p;
};
const until = async (p, check, what) => {
  for (let waited = 0; !check(); waited += 100) {
    if (waited > 30000) await fail(p, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
const page = await open("tab1");
try {
  await page.goto(url);
  await page.waitForSelector('#status[data-state="online"]');

  await page.fill("#input", "I am planning a trip to Kyoto in April. Remember that I love temples!");
  await page.press("#input", "Enter");

  // The answer streams into a bubble (token frames), then completes (done frame).
  await page.waitForSelector(".msg.user >> text=Kyoto");
  await page.waitForSelector(".msg.assistant .text:not(:empty)");
  await page.waitForSelector(".msg.assistant:not(.streaming) .meta");
  const answer = await page.textContent(".msg.assistant .text");
  if (!answer.startsWith("[offline responder")) await fail(page, `unexpected answer: ${answer}`);
  // Streamed: token deltas came before the done frame (not just the done frame's full text).
  const tokens = page.received.get("token") ?? 0;
  if (tokens < 2) await fail(page, `${tokens} token frames for a streamed answer`);

  // The live short-term memory panel shows the message.
  await page.waitForSelector('#stm-list .stm-item >> text=Kyoto');
  // The session list shows the session the turn started.
  await page.waitForSelector("#session-list li.current");
  console.log("ANSWERED");

  // The test publishes memory.created (as memory-service would after ingesting the message).
  await page.waitForSelector("#activity li >> text=remembered");
  await page.click('button[data-view="memories"]');
  await page.waitForSelector('#mem-list .vrow >> text=Kyoto');
  await page.waitForSelector('#mem-counts .chip[data-label="memories"]');

  // 10,000 memories: the list stays virtual (only the visible rows are in the DOM) and scrolls.
  const rendered = await page.evaluate(() => {
    const many = Array.from({ length: 10000 }, (_, i) => ({
      id: `bulk-${i}`, type: "EPISODIC", content: `bulk memory ${i}`, state: "ACTIVE", strength: (i % 100) / 100,
      createdAt: new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString(),
    }));
    window.engram.memories.addAll(many);
    return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() =>
      resolve(document.querySelectorAll("#mem-list .vrow").length))));
  });
  if (rendered > 200) await fail(page, `${rendered} rows in the DOM for 10,001 memories`);
  await page.evaluate(() => { document.getElementById("mem-list").scrollTop = 150000; });
  await page.waitForSelector("#mem-list .vrow >> text=/bulk memory \\d+/");
  await page.evaluate(() => { document.getElementById("mem-list").scrollTop = 0; });
  await page.click('button[data-view="chat"]');

  // A second tab of the same user sees the first tab's turn live, in the same session.
  const other = await open("tab2");
  await other.goto(url);
  await other.waitForSelector('#status[data-state="online"]');
  await other.waitForSelector("#session-list li.current");
  await page.fill("#input", "My sister Mia lives in Osaka.");
  await page.press("#input", "Enter");
  await other.waitForSelector(".msg.user >> text=Osaka");
  await until(other, () => (other.received.get("done") ?? 0) >= 1, "the second tab to see the answer");
  await other.waitForFunction(() => document.querySelectorAll(".msg.assistant:not(.streaming)").length === 2);

  // That tab drops its connection and misses a turn; it comes back with an event id the instance
  // cannot resume from (as after a move to another instance): told to resync, it loads the
  // session's history and the working set again and shows the turn it missed.
  await other.evaluate(() => window.engram.socket.close());
  await other.waitForSelector('#status[data-state="offline"]');
  await page.fill("#input", "My favourite dish is okonomiyaki.");
  await page.press("#input", "Enter");
  await until(page, () => (page.received.get("done") ?? 0) >= 3, "the third answer");
  if (await other.$(".msg >> text=okonomiyaki")) await fail(other, "a closed tab received a turn");
  const resyncs = other.received.get("resync") ?? 0;
  await other.evaluate(() => {
    const socket = window.engram.socket;
    socket.lastEventId = "an-earlier-instance:1";
    socket.connect();
  });
  await other.waitForSelector(".msg.user >> text=okonomiyaki");
  await other.waitForSelector("#stm-list .stm-item >> text=okonomiyaki");
  await other.waitForFunction(() => document.querySelectorAll(".msg.assistant").length === 3);
  if ((other.received.get("resync") ?? 0) <= resyncs) await fail(other, "no resync frame");

  // The connection drops just after a message is sent: the page cannot know whether it got
  // through, so it sends it again on reconnecting, with the same clientMessageId; the instance
  // runs one turn for it, session-service stores it once, and the page shows it and its answer once.
  const answers = await page.$$eval(".msg.assistant", (e) => e.length);
  const hellos = page.received.get("hello") ?? 0;
  await page.fill("#input", "My bicycle is blue.");
  // sent, then dropped in the same task: no frame of its turn reaches the page before it reconnects
  await page.evaluate(() => {
    document.getElementById("composer").requestSubmit();
    window.engram.socket.socket.close();
  });
  await until(page, () => (page.received.get("hello") ?? 0) > hellos, "the page to reconnect");
  const bicycle = () => page.sent.filter((f) => f.content === "My bicycle is blue.");
  await until(page, () => bicycle().length >= 2, "the message to be sent again");
  const ids = new Set(bicycle().map((f) => f.clientMessageId));
  if (ids.size !== 1) await fail(page, `sent again with other ids: ${[...ids]}`);
  await page.waitForFunction((n) => document.querySelectorAll(".msg.assistant:not(.streaming)").length === n + 1, answers);
  await page.fill("#input", "My car is red.");
  await page.press("#input", "Enter");
  const stored = async () =>
    page.evaluate(async () => {
      const auth = { headers: { Authorization: `Bearer ${sessionStorage.getItem("engram.token")}` } };
      const sessions = await (await fetch("/api/v1/sessions?limit=1", auth)).json();
      const messages = await (await fetch(`/api/v1/sessions/${sessions.items[0].id}/messages`, auth)).json();
      return messages.items.map((m) => ({ id: m.id, text: `${m.role}:${m.content.slice(0, 19)}` }));
    });
  let messages = await stored();
  for (let waited = 0; messages.length < 10 && waited < 30000; waited += 200) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    messages = await stored();
  }
  const texts = messages.map((m) => m.text);
  if (texts.length !== 10 || texts.filter((t) => t === "user:My bicycle is blue.").length !== 1) {
    await fail(page, `stored: ${texts}`);
  }
  // once the last answer is shown, every answer is, each once
  await page.waitForSelector(`.msg.assistant[data-message-id="${messages[9].id}"]:not(.streaming)`);
  const shown = await page.$$eval(".msg.assistant", (e) => e.length);
  if (shown !== answers + 2) await fail(page, `${shown} answers shown for ${answers + 2}`);
  if ((await page.$$(".msg.user >> text=bicycle")).length !== 1) await fail(page, "the message is shown twice");

  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  console.log("PASSED");
  await browser.close();
} catch (e) {
  await fail(page, e.message);
}
