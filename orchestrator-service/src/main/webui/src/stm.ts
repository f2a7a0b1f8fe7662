// The live short-term memory panel.
import { api } from "./api";
import type { Frame } from "./socket";

interface Item {
  key: string;
  kind: string;
  text: string;
  activation: number;
  rehearsals: number;
  attention: { relevance: number; novelty: number; salience: number; recency: number; total: number };
}

export class StmPanel {
  constructor(
    private readonly list: HTMLElement,
    private readonly turn: HTMLElement,
  ) {}

  show(items: Item[], turn?: number, changed: string[] = []): void {
    if (turn !== undefined) this.turn.textContent = `turn ${turn}`;
    this.list.replaceChildren(
      ...items.map((item) => {
        const li = document.createElement("li");
        li.className = `stm-item ${item.kind.toLowerCase()}` + (changed.includes(item.key) ? " flash" : "");
        li.dataset.key = item.key;
        const a = item.attention;
        li.title = `relevance ${a.relevance.toFixed(2)} · novelty ${a.novelty.toFixed(2)} · salience ${a.salience.toFixed(2)} · recency ${a.recency.toFixed(2)}`;
        li.innerHTML = `<div class="bar"><span></span></div><div class="text"></div><div class="muted"></div>`;
        (li.querySelector(".bar span") as HTMLElement).style.width = `${Math.round(item.activation * 100)}%`;
        (li.querySelector(".text") as HTMLElement).textContent = item.text;
        (li.querySelector(".muted") as HTMLElement).textContent =
          `${item.kind.toLowerCase()} · activation ${item.activation.toFixed(2)}` +
          (item.rehearsals ? ` · rehearsed ${item.rehearsals}×` : "");
        return li;
      }),
    );
  }

  /** Loads the working set afresh ({@code GET /api/v1/stm}). */
  async load(): Promise<void> {
    try {
      const stm = await api<{ turn: number; items: Item[] }>("/api/v1/stm");
      this.show(stm.items, stm.turn);
    } catch {
      // The next stm_update frame brings it.
    }
  }

  frame(frame: Frame): void {
    if (frame.type === "hello") this.show(frame.stm ?? []);
    if (frame.type === "stm_update") this.show(frame.items, frame.turn, [...frame.added, ...frame.rehearsed]);
  }
}
