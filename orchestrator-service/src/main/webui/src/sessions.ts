// The sessions panel: list, create, pause, resume, complete, link.
import { api, items, type Session } from "./api";

/** The lifecycle actions and the states each is allowed from (session-service refuses the rest). */
const ALLOWED_FROM: Record<string, string[]> = {
  pause: ["ACTIVE"],
  resume: ["PAUSED"],
  complete: ["ACTIVE", "PAUSED"],
};

export class SessionsPanel {
  private sessions: Session[] = [];
  current: string | null = null;

  constructor(
    private readonly list: HTMLElement,
    private readonly actions: HTMLElement,
    private readonly parentSelect: HTMLSelectElement,
    private readonly parentInfo: HTMLElement,
    private readonly error: HTMLElement,
    private readonly onSelect: (id: string | null, loadHistory: boolean) => void,
  ) {
    this.buttons().forEach((button) =>
      button.addEventListener("click", () => this.transition(button.dataset.action!)),
    );
    parentSelect.addEventListener("change", () => this.link(parentSelect.value));
  }

  async refresh(): Promise<void> {
    try {
      this.sessions = items<Session>(await api("/api/v1/sessions?limit=50"));
      this.render();
    } catch (e) {
      this.fail(e);
    }
  }

  async create(): Promise<void> {
    try {
      const created = await api<Session>("/api/v1/sessions", {
        method: "POST",
        body: JSON.stringify({ title: `Session ${new Date().toLocaleString()}`, tags: [], metadata: {} }),
      });
      await this.refresh();
      this.select(created.id);
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * Makes {@code id} current. From the list (or on connect) its history is loaded; when a live
   * turn switches the session, the chat shows the turn's own frames instead, so that a history
   * request finishing late cannot overwrite a streaming answer.
   */
  select(id: string | null, loadHistory = true): void {
    if (this.current === id) return;
    this.current = id;
    if (id && !this.sessions.some((s) => s.id === id)) void this.refresh();
    this.render();
    this.onSelect(id, loadHistory);
  }

  /** Loads the current session's history again (after the chat missed frames it cannot replay). */
  reload(): void {
    this.render();
    this.onSelect(this.current, true);
  }

  private async transition(action: string): Promise<void> {
    if (!this.current) return;
    try {
      await api(`/api/v1/sessions/${this.current}/${action}`, { method: "POST", body: "{}" });
      await this.refresh();
    } catch (e) {
      this.fail(e);
    }
  }

  private async link(parent: string): Promise<void> {
    if (!this.current || !parent) return;
    try {
      await api(`/api/v1/sessions/${this.current}/link`, {
        method: "POST",
        body: JSON.stringify({ parentSessionId: parent }),
      });
      await this.refresh();
    } catch (e) {
      this.render(); // the select shows the parent it has, not the refused one
      this.fail(e);
    }
  }

  private render(): void {
    this.error.textContent = "";
    const title = (s: Session) => s.title || "(untitled)";
    const byId = new Map(this.sessions.map((s) => [s.id, s]));
    this.list.replaceChildren(
      ...this.sessions.map((s) => {
        const li = document.createElement("li");
        li.className = s.id === this.current ? "current" : "";
        li.dataset.sessionId = s.id;
        const button = document.createElement("button");
        button.type = "button";
        button.className = "session";
        if (s.id === this.current) button.setAttribute("aria-current", "true");
        button.innerHTML = `<span class="title"></span><span class="badge ${s.status.toLowerCase()}"></span>`;
        (button.querySelector(".title") as HTMLElement).textContent = title(s);
        (button.querySelector(".badge") as HTMLElement).textContent = s.status;
        if (s.parentSessionId) {
          const parent = document.createElement("span");
          parent.className = "parent";
          parent.dataset.parentId = s.parentSessionId;
          const p = byId.get(s.parentSessionId);
          parent.textContent = `↳ continues ${p ? title(p) : s.parentSessionId.slice(0, 8)}`;
          button.append(parent);
        }
        button.addEventListener("click", () => this.select(s.id));
        li.append(button);
        return li;
      }),
    );
    const current = this.current ? byId.get(this.current) : undefined;
    this.actions.hidden = !this.current;
    // Only what the session's state allows (unknown state: leave the server to decide).
    this.buttons().forEach((button) => {
      button.disabled = !!current && !ALLOWED_FROM[button.dataset.action!].includes(current.status);
    });
    const parentId = current?.parentSessionId ?? "";
    const parent = parentId ? byId.get(parentId) : undefined;
    this.parentInfo.hidden = !parentId;
    this.parentInfo.dataset.parentId = parentId;
    this.parentInfo.textContent = parentId ? `Continues: ${parent ? title(parent) : parentId}` : "";
    this.parentSelect.replaceChildren(
      new Option(parentId ? "Link to another parent…" : "Link to parent…", ""),
      ...this.sessions
        .filter((s) => s.id !== this.current)
        .map((s) => new Option(title(s), s.id, false, s.id === parentId)),
    );
  }

  private buttons(): HTMLButtonElement[] {
    return [...this.actions.querySelectorAll<HTMLButtonElement>("button[data-action]")];
  }

  private fail(e: unknown): void {
    this.error.textContent = e instanceof Error ? e.message : String(e);
  }
}
