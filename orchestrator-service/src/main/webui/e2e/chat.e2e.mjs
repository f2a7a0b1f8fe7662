// Browser test of the web UI, driven by BrowserTest (JUnit) against the running test instance:
// Debian's Chromium, headless, through playwright-core (no browser download).
//
// env: ENGRAM_URL (the /app/ URL with #token=...), CHROMIUM (executable), SCREENSHOT (png path)
// stdout protocol: prints "ANSWERED" once the streamed answer is complete, then waits for the
// test to publish a memory event; prints "STRENGTH" when the strength chart is checked and waits for
// the test to publish a reinforcement; exits 0 when every check passed.
// STRENGTH (env): what BrowserTest put in memory-service's strength history (see strengthOverTime).
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
  p.on("websocket", (ws) =>
    ws.on("framereceived", (f) => {
      try {
        const type = JSON.parse(f.payload).type;
        p.received.set(type, (p.received.get(type) ?? 0) + 1);
      } catch {}
    }),
  );
  return p;
};
const until = async (p, check, what) => {
  for (let waited = 0; !check(); waited += 100) {
    if (waited > 30000) await fail(p, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

// ---- strength over time ----
// The chart shows the history memory-service keeps (not only what happened since the page opened),
// including a state sampled once (CONSOLIDATED here: drawn as a dot), a memory chosen in the list
// shows its forgetting curve down to the forget threshold, and a reinforcement that arrives live
// adds a point and moves the curve. Reads what is drawn through window.engram.memories.strength().
const strengthOverTime = async (page) => {
  const seed = JSON.parse(process.env.STRENGTH ?? "null");
  if (!seed) await fail(page, "STRENGTH (the seeded strength history) is not set");
  const read = () => page.evaluate(() => window.engram.memories.strength());
  const near = (a, b, eps) => Math.abs(a - b) <= eps;
  const live = (s) => Object.values(s.series).flat().filter((p) => p.live);
  await page.click('button[data-view="memories"]');

  let s = await read();
  for (const [state, expected] of Object.entries(seed.history)) {
    const stored = (s.series[state] ?? []).filter((p) => !p.live);
    const same = stored.length === expected.length &&
      expected.every((e, i) => stored[i].at === Date.parse(e.at) && near(stored[i].value, e.value, 1e-9));
    if (!same) await fail(page, `${state} history drawn: ${JSON.stringify(stored)}; memory-service's: ${JSON.stringify(expected)}`);
  }
  if (!live(s).length) await fail(page, "no point for the memories the page loaded");

  await page.click(`#mem-list .vrow[data-memory-id="${seed.memoryId}"]`);
  await page.waitForFunction((id) => window.engram.memories.strength().curve?.memoryId === id, seed.memoryId);
  const c = (await read()).curve;
  const { reinforcedStrength: s0, stabilityDays } = seed.curve;
  const t0 = Date.parse(seed.curve.reinforcedAt);
  const tau = stabilityDays * 86_400_000;
  if (c.threshold !== 0.1) await fail(page, `forget threshold ${c.threshold}`);
  if (c.points[0].at !== t0 || !near(c.points[0].strength, s0, 1e-9)) await fail(page, `curve starts at ${JSON.stringify(c.points[0])}`);
  if (!near(c.now.strength, s0 * Math.exp(-(c.now.at - t0) / tau), 1e-9)) await fail(page, `strength now ${c.now.strength}`);
  if (!near(c.forgetAt, t0 + tau * Math.log(s0 / 0.1), 1000) || !near(c.points.at(-1).strength, 0.1, 1e-6))
    await fail(page, `the curve ends at ${JSON.stringify(c.points.at(-1))}, forgotten at ${c.forgetAt}`);

  s = await read();
  const before = live(s).length;
  const last = s.series.ACTIVE.filter((p) => p.live).at(-1);
  console.log("STRENGTH");
  await page.waitForSelector("#activity li >> text=reinforced");
  await page.waitForFunction((n) => Object.values(window.engram.memories.strength().series).flat().filter((p) => p.live).length > n, before);
  const after = (await read()).series.ACTIVE.filter((p) => p.live).at(-1);
  if (!(after.at > last.at && after.value > last.value)) await fail(page, `live ACTIVE point ${JSON.stringify(after)} after ${JSON.stringify(last)}`);
  // the curve follows memory-service's view of the memory after the reinforcement
  await page.waitForFunction((to) => Math.abs((window.engram.memories.strength().curve?.points[0].strength ?? 0) - to) < 1e-9, seed.reinforcedTo);
  await page.click('button[data-view="chat"]');
};
// ---- end of strength over time ----

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

  await strengthOverTime(page);

  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  console.log("PASSED");
  await browser.close();
} catch (e) {
  await fail(page, e.message);
}
