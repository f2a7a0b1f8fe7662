// Browser test of the web UI, driven by BrowserTest (JUnit) against the running test instance:
// Debian's Chromium, headless, through playwright-core (no browser download).
//
// env: ENGRAM_URL (the /app/ URL with #token=...), EXPIRED_URL (the same with an expired token),
// CHROMIUM (executable), SCREENSHOT and MEMORIES_SCREENSHOT (png paths), MEMORY_IDS (JSON: the ids
// of the memories and clusters the test's events are about)
// stdout protocol: prints "ANSWERED" once the streamed answer is complete, then waits for the
// test to publish the memory events; prints "STRENGTH" when the strength chart is checked and waits
// for the test to publish a reinforcement; exits 0 when every check passed.
// STRENGTH (env): what BrowserTest put in memory-service's strength history (see strengthOverTime).
import { chromium } from "playwright-core";

const url = process.env.ENGRAM_URL;
const screenshot = process.env.SCREENSHOT;
const ids = JSON.parse(process.env.MEMORY_IDS ?? "{}");
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
  await checkLiveMemoryUpdates(page);
  await checkGraph(page);
  if (process.env.MEMORIES_SCREENSHOT) await page.screenshot({ path: process.env.MEMORIES_SCREENSHOT, fullPage: true });
  await checkVirtualScroll(page);
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

  await strengthOverTime(page);

  await checkOfflineSend(page);
  await checkErrorPages(page);
  await checkAccessibility(page);
  await checkSessionActions(page);
  await checkRefusedTokens();

  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  console.log("PASSED");
  await browser.close();
} catch (e) {
  await fail(page, e.message);
}

// ---- web UI checks (visualizer, sessions, tokens, errors, accessibility) ----

/** Polls {@code mismatches} (a page function returning a list of what is not yet as expected). */
async function expectInPage(p, what, mismatches, arg, timeout = 30000) {
  let last = [];
  for (const start = Date.now(); Date.now() - start < timeout; ) {
    last = await p.evaluate(mismatches, arg);
    if (!last.length) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await fail(p, `${what}: ${last.join("; ")}`);
}

// One event of each kind the visualizer handles (BrowserTest publishes them after ANSWERED):
// counts by type and state, each row's state and strength, the memories' clusters after a merge
// and a split, the graph, and a decayed memory gone once memory-service deleted it.
async function checkLiveMemoryUpdates(p) {
  await expectInPage(p, "the memory panel after the events", (ids) => {
    const out = [];
    const v = window.engram.memories;
    const chip = (label) => document.querySelector(`#mem-counts .chip[data-label="${label}"]`)?.textContent ?? "none";
    // the 7 memories the events are about and the one BrowserTest seeded for strengthOverTime
    const counts = { memories: 8, episodic: 6, semantic: 1, procedural: 1, active: 5, consolidated: 1, archived: 1, decayed: 1, clusters: 3 };
    for (const [label, n] of Object.entries(counts)) if (chip(label) !== `${label} ${n}`) out.push(`chip ${label}: ${chip(label)}, want ${n}`);
    const rows = { A: ["EPIS · active", "0.95"], B: ["SEMA · consolidated", "0.80"], F: ["PROC · archived", "0.75"], G: ["EPIS · active", "0.50"], D: ["EPIS · decayed", "0.05"] };
    for (const [name, [badge, strength]] of Object.entries(rows)) {
      const row = document.querySelector(`#mem-list .vrow[data-memory-id="${ids[name]}"]`);
      const got = row ? [row.querySelector(".badge").textContent, row.querySelector(".strength").dataset.strength] : null;
      if (!got || got[0] !== badge || got[1] !== strength) out.push(`row ${name}: ${got}, want ${badge} ${strength}`);
    }
    if (document.querySelector(`#mem-list .vrow[data-memory-id="${ids.C}"]`) || v.memory(ids.C)) out.push("C (deleted by memory-service) is still listed");
    if (v.memory(ids.M)?.clusterId !== ids.K1) out.push(`M is in ${v.memory(ids.M)?.clusterId}, want K1 (merged)`);
    if (v.memory(ids.E)?.clusterId !== ids.K3) out.push(`E is in ${v.memory(ids.E)?.clusterId}, want K3 (split)`);
    const g = v.state().graph;
    const clusters = g.clusters.map((c) => c.id).sort().join();
    if (clusters !== [ids.K1, ids.K3, ids.K4].sort().join()) out.push(`graph clusters ${JSON.stringify(g.clusters)}`);
    const sat = Object.fromEntries(g.memories.map((m) => [m.id, m.cluster]));
    if (sat[ids.M] !== ids.K1 || sat[ids.E] !== ids.K3 || ids.C in sat) out.push(`graph satellites ${JSON.stringify(sat)}`);
    const big = g.clusters.find((c) => c.id === ids.K4), k1 = g.clusters.find((c) => c.id === ids.K1);
    if (big && (big.radius > 24 || big.radius <= (k1?.radius ?? 0))) out.push(`radius of 5,000 memories ${big.radius}, of 5 ${k1?.radius}`);
    return out;
  }, ids);
}

// The graph: the cluster list filters (keyboard), wheel and keys zoom, dragging the background
// pans, clicking a memory shows its details like selecting its row; the list's keys move too.
async function checkGraph(p) {
  const shown = () => p.textContent("#mem-shown");
  await p.focus(`#cluster-list button[data-cluster-id="${ids.K3}"]`);
  await p.keyboard.press("Enter");
  await p.waitForSelector(`#cluster-list button[data-cluster-id="${ids.K3}"][aria-pressed="true"]`);
  if (!(await shown()).startsWith("1 shown")) await fail(p, `cluster filter shows ${await shown()}`);
  if (!(await p.$(`#mem-list .vrow[data-memory-id="${ids.E}"]`))) await fail(p, "E not shown in its cluster");
  const selected = await p.evaluate(() => window.engram.memories.state().graph.selectedCluster);
  if (selected !== ids.K3) await fail(p, `graph selection ${selected}`);
  await p.click('#cluster-list button[data-cluster-id=""]');
  await p.waitForFunction(() => document.getElementById("mem-shown").textContent.startsWith("8 shown"));

  const view = () => p.evaluate(() => window.engram.memories.state().graph.view);
  const canvas = await p.locator("#cluster-graph").boundingBox();
  await p.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  await p.mouse.wheel(0, -400);
  await p.waitForFunction(() => window.engram.memories.state().graph.view.k > 1.2);
  await p.focus("#cluster-graph");
  await p.keyboard.press("0");
  if ((await view()).k !== 1) await fail(p, "0 does not reset the zoom");
  await p.keyboard.press("+");
  await p.keyboard.press("ArrowLeft");
  let v = await view();
  const width = await p.evaluate(() => document.getElementById("cluster-graph").width);
  if (!(v.k > 1.2 && v.tx > (width - width * v.k) / 2)) await fail(p, `keys did not zoom and pan: ${JSON.stringify(v)}`);
  await p.keyboard.press("0");
  // Drag from a spot far from every node: the view pans, nothing is selected.
  const empty = await p.evaluate(() => {
    const v = window.engram.memories;
    const g = v.state().graph;
    const points = [...g.clusters, ...g.memories].map((n) => v.nodePoint(n.id));
    const r = document.getElementById("cluster-graph").getBoundingClientRect();
    for (let y = r.top + 20; y < r.bottom - 20; y += 10)
      for (let x = r.left + 20; x < r.right - 80; x += 10)
        if (points.every((q) => Math.hypot(q.x - x, q.y - y) > 30)) return { x, y };
    return null;
  });
  if (!empty) await fail(p, "no empty spot on the graph");
  await p.mouse.move(empty.x, empty.y);
  await p.mouse.down();
  await p.mouse.move(empty.x + 60, empty.y + 30, { steps: 6 });
  await p.mouse.up();
  v = await view();
  if (v.tx < 30 || v.ty < 15) await fail(p, `dragging the background did not pan: ${JSON.stringify(v)}`);
  if (await p.evaluate(() => window.engram.memories.state().graph.selectedCluster)) await fail(p, "a pan selected a cluster");
  await p.click('#graph-zoom button[data-zoom="reset"]');

  // A memory node (B, a satellite of K1): its details, and its row selected.
  for (let attempt = 0; ; attempt++) {
    const at = await p.evaluate((id) => window.engram.memories.nodePoint(id), ids.B);
    await p.mouse.click(at.x, at.y);
    if (await p.$(`#mem-detail[data-memory-id="${ids.B}"]:not([hidden])`)) break;
    if (attempt === 10) await fail(p, "clicking memory B in the graph shows no details");
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const detail = await p.textContent("#mem-detail");
  if (!detail.includes("Loves temples") || !detail.includes("consolidated") || !detail.includes("0.80") || !detail.includes("kyoto temples"))
    await fail(p, `details of B: ${detail}`);
  await p.waitForSelector(`#mem-list .vrow.selected[data-memory-id="${ids.B}"][aria-selected="true"]`);
  // The list's keyboard: Home selects the first row, ArrowDown the next one.
  await p.focus("#mem-list");
  await p.keyboard.press("Home");
  const rowIds = await p.$$eval("#mem-list .vrow", (rows) => rows.map((r) => r.dataset.memoryId));
  await p.waitForSelector(`#mem-detail[data-memory-id="${rowIds[0]}"]`);
  await p.keyboard.press("ArrowDown");
  await p.waitForSelector(`#mem-detail[data-memory-id="${rowIds[1]}"]`);
  await p.click(`#mem-list .vrow[data-memory-id="${ids.B}"]`);
  await p.waitForSelector(`#mem-detail[data-memory-id="${ids.B}"]`);
}

// 10,000 more memories: scrolled to the middle, the rows there are in the DOM and the top ones
// are not, and the DOM holds a bounded number of rows wherever the list is.
async function checkVirtualScroll(p) {
  const real = await p.evaluate(() => window.engram.memories.state().memories);
  await p.evaluate(() => {
    const many = Array.from({ length: 10000 }, (_, i) => ({
      id: `bulk-${i}`, type: "EPISODIC", content: `bulk memory ${i}`, state: "ACTIVE", strength: (i % 100) / 100,
      createdAt: new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString(),
    }));
    window.engram.memories.addAll(many);
  });
  // Newest first: the test's memories, then bulk 9999 down to bulk 0.
  const bulkAt = (index) => `bulk memory ${9999 - (index - real)}`;
  const rowsAt = async (index) => {
    await p.evaluate((top) => { document.getElementById("mem-list").scrollTop = top; }, index * 28);
    await p.waitForFunction((text) => [...document.querySelectorAll("#mem-list .vrow .content")].some((c) => c.textContent === text), bulkAt(index));
    return p.$$eval("#mem-list .vrow .content", (cs) => cs.map((c) => c.textContent));
  };
  const top = await rowsAt(real);
  const middle = await rowsAt(5000);
  if (middle.includes(bulkAt(real)) || middle.includes("bulk memory 9999")) await fail(p, "the top rows are still in the DOM after scrolling");
  if (!middle.includes(bulkAt(5010))) await fail(p, `row 5010 (${bulkAt(5010)}) is not in the DOM: ${middle.slice(0, 3)}…`);
  const end = await rowsAt(real + 9999);
  if (!end.includes("bulk memory 0")) await fail(p, "the last row is not in the DOM at the end");
  for (const [where, rows] of Object.entries({ top, middle, end }))
    if (rows.length > 80) await fail(p, `${rows.length} rows in the DOM at the ${where} of ${real + 10000}`);
  await p.evaluate(() => { document.getElementById("mem-list").scrollTop = 0; });
}

// Sending while offline says so and keeps the message; back online the notice goes.
async function checkOfflineSend(p) {
  await p.evaluate(() => window.engram.socket.close());
  await p.waitForSelector('#status[data-state="offline"]');
  await p.fill("#input", "Are you still there?");
  await p.press("#input", "Enter");
  await p.waitForSelector('#composer-error[role="alert"] >> text=Not connected');
  if ((await p.inputValue("#input")) !== "Are you still there?") await fail(p, "the unsent message left the box");
  await p.evaluate(() => window.engram.socket.connect());
  await p.waitForSelector('#status[data-state="online"]');
  await p.waitForFunction(() => document.getElementById("composer-error").textContent === "");
  await p.fill("#input", "");
}

// An error answer that is not JSON (a proxy's HTML page) is shown by its status.
async function checkErrorPages(p) {
  await p.route("**/api/v1/sessions", (route) =>
    route.request().method() === "POST"
      ? route.fulfill({ status: 502, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>" })
      : route.fallback(),
  );
  await p.click("#new-session");
  await p.waitForSelector("#session-error >> text=HTTP 502");
  const text = await p.textContent("#session-error");
  if (/JSON|Unexpected token/i.test(text)) await fail(p, `a parse error instead of the status: ${text}`);
  await p.unroute("**/api/v1/sessions");
}

// Labels, roles, focusable session rows; a streaming answer is announced once, when done.
async function checkAccessibility(p) {
  const problems = await p.evaluate(() => {
    const out = [];
    for (const id of ["input", "mem-filter", "mem-type", "mem-state", "link-parent"])
      if (!document.getElementById(id).labels?.length) out.push(`#${id} has no label`);
    if (document.getElementById("status").getAttribute("role") !== "status") out.push("#status is no status");
    for (const id of ["session-error", "composer-error", "login-error"])
      if (document.getElementById(id).getAttribute("role") !== "alert") out.push(`#${id} is no alert`);
    const rows = document.querySelectorAll("#session-list li");
    if (!rows.length || [...rows].some((li) => li.querySelector("button.session") === null)) out.push("session rows are not buttons");
    return out;
  });
  if (problems.length) await fail(p, problems.join("; "));
  await p.evaluate(() => {
    const messages = document.getElementById("messages");
    window.busySeen = false;
    new MutationObserver(() => {
      if (messages.getAttribute("aria-busy") === "true" && messages.querySelector(".msg.streaming")) window.busySeen = true;
    }).observe(messages, { attributes: true, childList: true, subtree: true, characterData: true });
  });
  const answers = await p.locator(".msg.assistant:not(.streaming) .meta").count();
  await p.fill("#input", "One more thing: I prefer window seats.");
  await p.press("#input", "Enter");
  await p.waitForFunction((n) => document.querySelectorAll(".msg.assistant:not(.streaming) .meta").length > n, answers);
  if (!(await p.evaluate(() => window.busySeen))) await fail(p, "the messages were not aria-busy while streaming");
  if (await p.getAttribute("#messages", "aria-busy")) await fail(p, "the messages stay aria-busy after done");
}

// Pause, resume (only the actions the state allows are enabled) and link to another session (the
// parent shown in the list and the panel, and stored).
async function checkSessionActions(p) {
  const first = await p.getAttribute("#session-list li.current", "data-session-id");
  const enabled = () => p.$$eval("#session-actions button[data-action]", (bs) => bs.filter((b) => !b.disabled).map((b) => b.dataset.action).join());
  if ((await enabled()) !== "pause,complete") await fail(p, `an active session offers ${await enabled()}`);
  await p.click('#session-actions button[data-action="pause"]');
  await p.waitForSelector("#session-list li.current .badge.paused");
  if ((await enabled()) !== "resume,complete") await fail(p, `a paused session offers ${await enabled()}`);
  await p.click('#session-actions button[data-action="resume"]');
  await p.waitForSelector("#session-list li.current .badge.active");
  if ((await enabled()) !== "pause,complete") await fail(p, `a resumed session offers ${await enabled()}`);

  const sessions = await p.locator("#session-list li").count();
  await p.click("#new-session");
  await p.waitForFunction((n) => document.querySelectorAll("#session-list li").length > n, sessions);
  const second = await p.getAttribute("#session-list li.current", "data-session-id");
  if (second === first) await fail(p, "the new session is not current");
  await p.selectOption("#link-parent", first);
  await p.waitForSelector(`#session-list li.current .parent[data-parent-id="${first}"]`);
  const title = await p.textContent(`#session-list li[data-session-id="${first}"] .title`);
  const rowText = await p.textContent("#session-list li.current .parent");
  const panel = await p.textContent("#session-parent:not([hidden])");
  if (!rowText.includes(title) || !panel.includes(title)) await fail(p, `the parent is not shown: ${rowText} / ${panel}`);
  const stored = await p.evaluate(async (id) => {
    const r = await fetch(`/api/v1/sessions/${id}`, { headers: { Authorization: `Bearer ${sessionStorage.getItem("engram.token")}` } });
    return (await r.json()).parentSessionId;
  }, second);
  if (stored !== first) await fail(p, `session-service has parent ${stored}`);
  // Back to the first session: its history.
  await p.click(`#session-list li[data-session-id="${first}"] button`);
  await p.waitForSelector(".msg.user >> text=Kyoto");
}

// An expired or garbage token, at start or when the socket reconnects, brings the sign-in back
// (and the socket stops trying).
async function checkRefusedTokens() {
  const base = url.split("#")[0];
  const signedOut = async (p, what) => {
    await p.waitForSelector("#login:not([hidden])", { timeout: 20000 }).catch(() => fail(p, `${what}: no sign-in`));
    if (!(await p.isHidden("#app"))) await fail(p, `${what}: the app is still shown`);
    if (!(await p.textContent("#login-error")).includes("Sign in again")) await fail(p, `${what}: no reason given`);
    if (await p.evaluate(() => sessionStorage.getItem("engram.token"))) await fail(p, `${what}: the token is kept`);
    const sockets = p.sockets;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    if (p.sockets !== sockets) await fail(p, `${what}: the socket keeps reconnecting`);
    await p.close();
  };
  const tab = async (name) => {
    const p = await open(name);
    p.sockets = 0;
    p.on("websocket", () => p.sockets++);
    return p;
  };
  let p = await tab("expired");
  await p.goto(process.env.EXPIRED_URL);
  await signedOut(p, "an expired token");
  p = await tab("garbage");
  await p.goto(`${base}#token=garbage`);
  await signedOut(p, "a garbage token");
  // Signed in, then the token is refused when the socket reconnects (no REST call in between).
  p = await tab("refused");
  await p.goto(url);
  await p.waitForSelector('#status[data-state="online"]');
  await p.evaluate(() => {
    sessionStorage.setItem("engram.token", "garbage");
    window.engram.socket.socket.close();
  });
  await signedOut(p, "a token refused on reconnect");
}
