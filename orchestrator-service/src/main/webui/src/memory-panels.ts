// The panels beside the cluster graph: the clusters as a keyboard-usable list, and the details of
// the selected memory.
import type { Cluster, Memory } from "./api";

/** The clusters as buttons, largest first: the keyboard's (and a screen reader's) graph. */
export class ClusterList {
  private key = "";

  constructor(
    private readonly el: HTMLElement,
    private readonly onPick: (clusterId: string | null) => void,
  ) {}

  render(clusters: Iterable<Cluster>, selected: string | null): void {
    const sorted = [...clusters].sort((a, b) => (b.size ?? 0) - (a.size ?? 0));
    const key = `${selected}|` + sorted.map((c) => `${c.id}:${c.label}:${c.size}`).join(",");
    if (key === this.key) return; // re-rendering would lose the keyboard focus for nothing
    this.key = key;
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.clusterId;
    const button = (id: string, text: string) => {
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.clusterId = id;
      b.textContent = text;
      b.setAttribute("aria-pressed", String((selected ?? "") === id));
      b.addEventListener("click", () => this.onPick(id || null));
      const li = document.createElement("li");
      li.append(b);
      return li;
    };
    this.el.replaceChildren(
      button("", "All clusters"),
      ...sorted.map((c) => button(c.id, `${c.label || "(unlabelled)"} · ${c.size ?? 0}`)),
    );
    if (focused !== undefined) this.el.querySelector<HTMLElement>(`[data-cluster-id="${focused}"]`)?.focus();
  }
}

/** The selected memory's details ({@code m} undefined: it was deleted meanwhile). */
export function showDetail(el: HTMLElement, id: string | null, m: Memory | undefined, cluster: Cluster | undefined): void {
  el.hidden = !id;
  if (!id) return;
  el.dataset.memoryId = id;
  if (!m) {
    el.dataset.state = "gone";
    el.replaceChildren(text("p", "This memory was forgotten (deleted by memory-service)."));
    return;
  }
  el.dataset.state = m.state;
  const rows: [string, string][] = [
    ["Type", (m.type ?? "").toLowerCase()],
    ["State", (m.state ?? "").toLowerCase()],
    ["Strength", Number(m.strength ?? 0).toFixed(2)],
    ["Cluster", m.clusterId ? cluster?.label || m.clusterId : "none"],
    ["Created", m.createdAt ? new Date(m.createdAt).toLocaleString() : "unknown"],
  ];
  if (m.state === "DECAYED" && m.deleteAfter) rows.push(["Deleted after", new Date(m.deleteAfter).toLocaleString()]);
  if (m.accessCount !== undefined) rows.push(["Accesses", String(m.accessCount)]);
  const dl = document.createElement("dl");
  for (const [k, v] of rows) {
    dl.append(text("dt", k), text("dd", v));
    (dl.lastElementChild as HTMLElement).dataset.field = k.toLowerCase();
  }
  el.replaceChildren(text("h4", "Memory"), text("p", m.content ?? ""), dl);
}

function text(tag: string, value: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = value;
  return el;
}
