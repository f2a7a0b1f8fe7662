// The memory visualizer: counts by type and state, clusters graph, strength over time and a
// virtualized list of every memory, all kept current by memory_update frames.
import { api, items, nextCursor, type Cluster, type Memory } from "./api";
import { ForgettingCurve, retrace, sample, StrengthChart, type StrengthHistory } from "./chart";
import { ClusterGraph } from "./graph";
import type { Frame } from "./socket";
import { VirtualList } from "./vlist";

const MAX_LOADED = 20000;

export class MemoryView {
  private memories = new Map<string, Memory>();
  private filtered: Memory[] = [];
  private readonly list: VirtualList<Memory>;
  private readonly graph: ClusterGraph;
  private readonly chart: StrengthChart;
  private readonly curve: ForgettingCurve;
  private selected: string | null = null;
  /** Whether the page holds every memory of the user (its own strength points are only then taken). */
  private complete = false;
  private clusterFilter: string | null = null;
  private recent = new Set<string>();

  constructor(
    private readonly els: {
      counts: HTMLElement;
      chart: HTMLCanvasElement;
      curve: HTMLCanvasElement;
      graph: HTMLCanvasElement;
      list: HTMLElement;
      filter: HTMLInputElement;
      type: HTMLSelectElement;
      state: HTMLSelectElement;
      shown: HTMLElement;
      activity: HTMLElement;
    },
  ) {
    this.list = new VirtualList<Memory>(els.list, 28, (m, el) => this.row(m, el));
    this.graph = new ClusterGraph(els.graph);
    this.graph.onSelect = (id) => {
      this.clusterFilter = id;
      this.refilter();
    };
    this.chart = new StrengthChart(els.chart);
    this.curve = new ForgettingCurve(els.curve);
    // a memory chosen in the list shows its forgetting curve
    const choose = (e: Event) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>("[data-memory-id]");
      if (row?.dataset.memoryId) void this.select(row.dataset.memoryId);
    };
    els.list.addEventListener("click", choose);
    els.list.addEventListener("keydown", (e) => e.key === "Enter" && choose(e));
    for (const input of [els.filter, els.type, els.state]) input.addEventListener("input", () => this.refilter());
  }

  /** Loads the user's memories afresh (what was deleted meanwhile goes from the list too). */
  async load(): Promise<void> {
    const history = this.loadHistory();
    try {
      const loaded = new Map<string, Memory>();
      let cursor: string | null = null;
      do {
        const body: unknown = await api(`/api/v1/memories?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        items<Memory>(body).forEach((m) => loaded.set(m.id, m));
        cursor = nextCursor(body);
      } while (cursor && loaded.size < MAX_LOADED);
      this.memories = loaded;
      items<Cluster>(await api("/api/v1/clusters")).forEach((c) => this.graph.cluster(c.id, c.label ?? "", c.size ?? 1));
      // the strength of now, after the history, when the page holds every memory
      await history;
      this.complete = !cursor;
      if (this.complete) this.chart.add(sample(this.memories.values()));
    } catch (e) {
      this.activity(`memories unavailable: ${e instanceof Error ? e.message : e}`);
    }
    this.changed();
  }

  /** The strength history memory-service keeps (the last 30 days). */
  private async loadHistory(): Promise<void> {
    try {
      const body = await api<StrengthHistory>("/api/v1/analytics/strength");
      this.chart.history(body);
      this.curve.forgetThreshold = this.chart.forgetThreshold;
    } catch (e) {
      this.activity(`strength history unavailable: ${e instanceof Error ? e.message : e}`);
    }
  }

  /** Shows a memory's forgetting curve, from memory-service's current view of it. */
  async select(id: string): Promise<void> {
    this.selected = id;
    this.curve.show(this.memories.get(id) ?? null);
    try {
      const fresh = await api<Memory>(`/api/v1/memories/${encodeURIComponent(id)}`);
      if (this.selected !== id) return;
      const held = this.memories.get(id);
      if (held) Object.assign(held, fresh);
      this.curve.show(held ?? fresh);
    } catch (e) {
      this.activity(`memory unavailable: ${e instanceof Error ? e.message : e}`);
    }
  }

  /** The strength chart's series and the forgetting curve shown (what the browser test reads). */
  strength() {
    return { series: this.chart.series(), curve: this.curve.shown() };
  }

  /** Adds rows directly (used to show what the list does with many memories). */
  addAll(memories: Memory[]): void {
    memories.forEach((m) => this.memories.set(m.id, m));
    if (this.complete) this.chart.add(sample(this.memories.values()));
    this.changed();
  }

  frame(frame: Frame): void {
    if (frame.type !== "memory_update") return;
    const d = frame.data ?? {};
    const id: string | undefined = d.memoryId;
    const existing = id ? this.memories.get(id) : undefined;
    switch (frame.event) {
      case "memory.created":
        this.memories.set(d.memoryId, {
          id: d.memoryId,
          type: d.memoryType,
          content: d.content,
          state: d.state,
          strength: d.strength,
          clusterId: d.clusterId,
          createdAt: d.createdAt,
        });
        this.graph.memory(d.memoryId, d.content, d.clusterId);
        break;
      case "memory.reinforced":
        if (existing) existing.strength = d.strength;
        break;
      case "memory.consolidated":
        if (existing) Object.assign(existing, { state: "CONSOLIDATED", strength: d.strength });
        break;
      case "memory.decayed":
        if (existing) Object.assign(existing, { state: "DECAYED", strength: d.strength });
        break;
      case "memory.archived":
        if (existing) existing.state = "ARCHIVED";
        break;
      case "cluster.changed":
        if (d.change === "REMOVED") this.graph.removeCluster(d.clusterId);
        else this.graph.cluster(d.clusterId, d.label, d.size);
        break;
    }
    const held = id ? this.memories.get(id) : undefined;
    if (held) retrace(held, frame.event, d, frame.occurredAt);
    if (this.complete && String(frame.event).startsWith("memory.")) this.chart.add(sample(this.memories.values()));
    if (id && id === this.selected) void this.select(id);
    if (id) {
      this.recent.add(id);
      setTimeout(() => this.recent.delete(id), 4000);
      if (existing) this.graph.memory(id, existing.content, existing.clusterId);
    }
    this.activity(describe(frame));
    this.changed();
  }

  private changed(): void {
    const byType: Record<string, number> = {};
    const byState: Record<string, number> = {};
    for (const m of this.memories.values()) {
      byType[m.type] = (byType[m.type] ?? 0) + 1;
      byState[m.state] = (byState[m.state] ?? 0) + 1;
    }
    this.els.counts.replaceChildren(
      chip("memories", this.memories.size),
      ...Object.entries(byType).map(([k, v]) => chip(k.toLowerCase(), v)),
      ...Object.entries(byState).map(([k, v]) => chip(k.toLowerCase(), v)),
      chip("clusters", this.graph.count()),
    );
    this.refilter();
  }

  private refilter(): void {
    const text = this.els.filter.value.toLowerCase();
    const type = this.els.type.value;
    const state = this.els.state.value;
    this.chart.filter(type);
    this.filtered = [...this.memories.values()]
      .filter((m) => (!type || m.type === type) && (!state || m.state === state))
      .filter((m) => !this.clusterFilter || m.clusterId === this.clusterFilter)
      .filter((m) => !text || (m.content ?? "").toLowerCase().includes(text))
      .sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
    this.els.shown.textContent = `${this.filtered.length} shown` + (this.clusterFilter ? " (cluster)" : "");
    this.list.set(this.filtered);
  }

  private row(m: Memory, el: HTMLElement): void {
    el.className = `vrow ${m.state.toLowerCase()}` + (this.recent.has(m.id) ? " flash" : "");
    el.dataset.memoryId = m.id;
    el.innerHTML = `<span class="badge"></span><span class="content"></span><span class="strength"><span></span></span>`;
    (el.querySelector(".badge") as HTMLElement).textContent = `${(m.type ?? "").slice(0, 4)} · ${(m.state ?? "").toLowerCase()}`;
    (el.querySelector(".content") as HTMLElement).textContent = m.content;
    (el.querySelector(".strength span") as HTMLElement).style.width = `${Math.round((m.strength ?? 0) * 100)}%`;
  }

  private activity(text: string): void {
    const li = document.createElement("li");
    li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
    this.els.activity.prepend(li);
    while (this.els.activity.childElementCount > 30) this.els.activity.lastElementChild!.remove();
  }
}

function chip(label: string, value: number): HTMLElement {
  const el = document.createElement("span");
  el.className = "chip";
  el.dataset.label = label;
  el.textContent = `${label} ${value}`;
  return el;
}

function describe(frame: Frame): string {
  const d = frame.data ?? {};
  switch (frame.event) {
    case "memory.created":
      return `remembered: ${String(d.content ?? "").slice(0, 60)}`;
    case "memory.reinforced":
      return `reinforced (${String(d.reason ?? "").toLowerCase()}) → ${Number(d.strength).toFixed(2)}`;
    case "fact.extracted":
      return `learnt: ${d.subject} ${d.predicate} ${d.object}`;
    case "cluster.changed":
      return `cluster ${String(d.change).toLowerCase()}: ${d.label}`;
    default:
      return frame.event;
  }
}
