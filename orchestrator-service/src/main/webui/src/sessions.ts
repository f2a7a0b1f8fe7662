// The sessions panel: list, create, pause, resume, complete, link.
import { api, items, type Session } from "./api";

export class SessionsPanel {
  private sessions: Session[] = [];
  current: string | null = null;

  constructor(
    private readonly list: HTMLElement,
    private readonly actions: HTMLElement,
    private readonly parentSelect: HTMLSelectElement,
    private readonly error: HTMLElement,
    private readonly onSelect: (id: string | null, loadHistory: boolean) => void,
  ) {
    actions.querySelectorAll<HTMLButtonElement>("button[data-action]").forEach((button) =>
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
      this.fail(e);
    }
  }

  private render(): void {
    this.error.textContent = "";
    this.list.replaceChildren(
      ...this.sessions.map((s) => {
        const li = document.createElement("li");
        li.className = s.id === this.current ? "current" : "";
        li.dataset.sessionId = s.id;
        li.innerHTML = `<span class="title"></span><span class="badge ${s.status.toLowerCase()}">${s.status}</span>`;
        (li.querySelector(".title") as HTMLElement).textContent = s.title || "(untitled)";
        if (s.parentSessionId) li.title = `continues ${s.parentSessionId}`;
        li.addEventListener("click", () => this.select(s.id));
        return li;
      }),
    );
    this.actions.hidden = !this.current;
    this.parentSelect.replaceChildren(
      new Option("Link to parent…", ""),
      ...this.sessions.filter((s) => s.id !== this.current).map((s) => new Option(s.title || s.id, s.id)),
    );
  }

  private fail(e: unknown): void {
    this.error.textContent = e instanceof Error ? e.message : String(e);
  }
}
