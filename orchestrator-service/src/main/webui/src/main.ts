import "./style.css";
import { api, ApiError, clearToken, items, refusesToken, saveToken, subject, token, whenTokenRefused, type Message } from "./api";
import { ChatView } from "./chat";
import { MemoryView } from "./memories";
import { SessionsPanel } from "./sessions";
import { ChatSocket } from "./socket";
import { StmPanel } from "./stm";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The sign-in form: a pasted token is kept for this tab and the app starts with it. */
function showSignIn(reason?: string): void {
  $("app").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = reason ?? "";
  $("who").textContent = "";
  $<HTMLTextAreaElement>("login-token").focus();
}

$<HTMLFormElement>("login-form").addEventListener("submit", (e) => {
  e.preventDefault();
  saveToken($<HTMLTextAreaElement>("login-token").value);
  location.reload();
});

function start(): void {
  const jwt = token();
  if (!jwt) {
    showSignIn();
    return;
  }
  $("app").hidden = false;
  $("who").textContent = subject(jwt);

  const chat = new ChatView($("messages"));
  const stm = new StmPanel($("stm-list"), $("stm-turn"));
  const memories = new MemoryView({
    counts: $("mem-counts"),
    chart: $<HTMLCanvasElement>("strength-chart"),
    curve: $<HTMLCanvasElement>("memory-curve"),
    graph: $<HTMLCanvasElement>("cluster-graph"),
    list: $("mem-list"),
    filter: $<HTMLInputElement>("mem-filter"),
    type: $<HTMLSelectElement>("mem-type"),
    state: $<HTMLSelectElement>("mem-state"),
    shown: $("mem-shown"),
    activity: $("activity"),
    clusterList: $("cluster-list"),
    detail: $("mem-detail"),
    zoom: $("graph-zoom"),
  });
  const sessions = new SessionsPanel(
    $("session-list"),
    $("session-actions"),
    $<HTMLSelectElement>("link-parent"),
    $("session-parent"),
    $("session-error"),
    async (id, loadHistory) => {
      chat.clear();
      if (!id || !loadHistory) return;
      try {
        chat.show(items<Message>(await api(`/api/v1/sessions/${id}/context?limit=50`)));
      } catch {
        // The session list shows what failed; the chat stays empty.
      }
    },
  );

  const composerError = $("composer-error");
  const socket = new ChatSocket(
    token,
    (state, detail) => {
      const el = $("status");
      el.dataset.state = state;
      el.textContent = detail && state === "offline" ? `offline (${detail})` : state;
      if (state === "online") composerError.textContent = "";
    },
    // A refused upgrade looks like a network failure to a browser: ask over REST (a refused token
    // answers 401 or 403 there too, which signs out through whenTokenRefused).
    async () => {
      try {
        await api("/api/v1/stm");
        return false;
      } catch (e) {
        return e instanceof ApiError && refusesToken(e.status);
      }
    },
  );
  // An expired, garbage or other user's token: forget it and ask for another (once).
  whenTokenRefused((e) => {
    if (!token()) return;
    clearToken();
    socket.close();
    showSignIn(
      e.status === 401
        ? "Your sign-in expired or the token was not accepted. Sign in again."
        : `This instance does not serve that user (${e.message}). Sign in again.`,
    );
  });
  // Messages handed to the socket whose turn has not ended (no done or error frame yet): after a
  // dropped connection the UI cannot know whether they got through, so it sends them again with
  // the same clientMessageId; the server runs no second turn for an id it has taken, and
  // session-service stores no second message (see the README's protocol section).
  const pending = new Map<string, Record<string, unknown>>();
  socket.on((frame) => {
    if ((frame.type === "done" || frame.type === "error") && frame.clientMessageId) {
      pending.delete(frame.clientMessageId);
    }
    if (frame.type === "hello") {
      pending.forEach((sent) => socket.send(sent));
      if (frame.sessionId) sessions.select(frame.sessionId);
      $("who").textContent = `${frame.userId} · ${frame.instance}`;
    }
    // Frames were missed beyond what the instance keeps (or it is another instance now): load
    // everything the frames would have changed from the services instead.
    if (frame.type === "resync") void resync();
    if ((frame.type === "message" || frame.type === "done") && frame.sessionId) sessions.select(frame.sessionId, false);
    chat.frame(frame, sessions.current);
    stm.frame(frame);
    memories.frame(frame);
  });
  const resync = async () => {
    await sessions.refresh();
    sessions.reload();
    await Promise.all([stm.load(), memories.load()]);
  };
  (window as any).engram = { memories, socket };
  socket.connect();

  $<HTMLFormElement>("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $<HTMLTextAreaElement>("input");
    const content = input.value.trim();
    if (!content) return;
    const message = {
      type: "user_message",
      content,
      sessionId: sessions.current ?? undefined,
      clientMessageId: crypto.randomUUID(),
      // "yesterday" and "last week" are the user's days, not the server's
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
    if (socket.send(message)) {
      pending.set(message.clientMessageId, message);
      input.value = "";
      composerError.textContent = "";
    } else {
      composerError.textContent = "Not connected: your message was not sent (it is still in the box). Send it again once the status shows online.";
    }
  });
  $<HTMLTextAreaElement>("input").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      $<HTMLFormElement>("composer").requestSubmit();
    }
  });
  $("new-session").addEventListener("click", () => void sessions.create());
  document.querySelectorAll<HTMLButtonElement>(".tab").forEach((tab) =>
    tab.addEventListener("click", () => {
      document.querySelectorAll<HTMLButtonElement>(".tab").forEach((t) => {
        t.classList.toggle("active", t === tab);
        t.setAttribute("aria-pressed", String(t === tab));
      });
      $("view-chat").hidden = tab.dataset.view !== "chat";
      $("view-memories").hidden = tab.dataset.view !== "memories";
    }),
  );

  void sessions.refresh();
  void memories.load();
}

start();
