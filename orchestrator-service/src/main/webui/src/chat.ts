// The chat view: messages of the current session, streamed answers, errors. The messages region
// is a polite live region: while an answer streams it is aria-busy, so a screen reader announces
// the answer once when it is done instead of every token.
import type { Frame } from "./socket";
import type { Message } from "./api";

interface Bubble {
  el: HTMLElement;
  text: HTMLElement;
}

export class ChatView {
  private streaming = new Map<string, Bubble>();

  constructor(private readonly root: HTMLElement) {}

  clear(): void {
    this.root.replaceChildren();
    this.streaming.clear();
    this.busy();
  }

  show(messages: Message[]): void {
    this.clear();
    messages.forEach((m) => this.bubble(m.role, m.content, m.id));
  }

  /** A frame of the chat protocol. */
  frame(frame: Frame, currentSession: string | null): void {
    if (frame.sessionId && currentSession && frame.sessionId !== currentSession) return;
    switch (frame.type) {
      case "message":
        if (!this.root.querySelector(`[data-message-id="${frame.messageId}"]`)) {
          const el = this.bubble("user", frame.content, frame.messageId);
          // The answer may start streaming before the question is stored: keep question first.
          const answer = this.root.querySelector(`[data-turn-id="${frame.turnId}"]`);
          if (answer) this.root.insertBefore(el, answer);
        }
        break;
      case "token": {
        const b = this.streamingBubble(frame.turnId);
        b.text.textContent += frame.delta;
        this.scroll();
        break;
      }
      case "done": {
        // A message sent again (after a reconnect) is answered with the done of its first turn;
        // an answer already shown is not shown twice, and what a repeat streamed goes away.
        const shown = this.root.querySelector(`[data-message-id="${frame.messageId}"]`);
        if (shown && shown !== this.streaming.get(frame.turnId)?.el) {
          this.streaming.get(frame.turnId)?.el.remove();
          this.streaming.delete(frame.turnId);
          break;
        }
        const b = this.streamingBubble(frame.turnId);
        b.text.textContent = frame.content;
        b.el.classList.remove("streaming");
        b.el.dataset.messageId = frame.messageId;
        b.el.classList.toggle("offline", frame.offline === true);
        const s = frame.contextSummary;
        const meta = document.createElement("div");
        meta.className = "meta";
        meta.textContent = `${frame.provider} · context ${s.tokens}/${s.budget} tokens, ${s.items} items` +
          (s.timeRange ? ` · ${s.timeRange.phrase}` : "") +
          (s.degraded?.length ? ` · without ${s.degraded.join(", ")}` : "");
        b.el.append(meta);
        this.streaming.delete(frame.turnId);
        this.busy();
        this.scroll();
        break;
      }
      case "error": {
        const el = this.bubble("error", `${frame.problem.title}: ${frame.problem.detail ?? ""}`);
        el.dataset.problem = frame.problem.type;
        if (frame.turnId) {
          this.streaming.get(frame.turnId)?.el.classList.remove("streaming");
          this.streaming.delete(frame.turnId);
        }
        this.busy();
        break;
      }
    }
  }

  private streamingBubble(turnId: string): Bubble {
    let b = this.streaming.get(turnId);
    if (!b) {
      const el = this.bubble("assistant", "");
      el.classList.add("streaming");
      el.dataset.turnId = turnId;
      b = { el, text: el.querySelector(".text") as HTMLElement };
      this.streaming.set(turnId, b);
      this.busy();
    }
    return b;
  }

  private bubble(role: string, content: string, id?: string): HTMLElement {
    const el = document.createElement("div");
    el.className = `msg ${role}`;
    if (id) el.dataset.messageId = id;
    const text = document.createElement("div");
    text.className = "text";
    text.textContent = content;
    el.append(text);
    this.root.append(el);
    this.scroll();
    return el;
  }

  private busy(): void {
    if (this.streaming.size) this.root.setAttribute("aria-busy", "true");
    else this.root.removeAttribute("aria-busy");
  }

  private scroll(): void {
    this.root.scrollTop = this.root.scrollHeight;
  }
}
