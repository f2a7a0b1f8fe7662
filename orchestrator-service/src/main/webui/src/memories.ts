// The memory visualizer: counts by type and state, clusters (graph and a keyboard-usable list),
// strength over time (memory-service's history and live points), a virtualized list of every
// memory and the details and forgetting curve of the selected one, all kept current by
// memory_update frames.
import { api, ApiError, items, nextCursor, type Cluster, type Memory } from "./api";
import { ForgettingCurve, retrace, sample, StrengthChart, type StrengthHistory } from "./chart";
import { ClusterGraph } from "./graph";
import type { Frame } from "./socket";
import { DeletionWatch } from "./deletions";
import { ClusterList, showDetail } from "./memory-panels";
import { VirtualList } from "./vlist";

const MAX_LOADED = 20000;
const ROW_HEIGHT = 28;

/** What a reinforcement leaves a memory in (memory-service revives DECAYED and ARCHIVED ones). */
const REVIVED: Record<string, string> = { DECAYED: "ACTIVE", ARCHIVED: "CONSOLIDATED" };

export class MemoryView {
  private memories = new Map<string, Memory>();
  private clusters = new Map<string, Cluster>();
  private filtered: Memory[] = [];
  private readonly list: VirtualList<Memory>;
  private readonly graph: ClusterGraph;
  private readonly chart: StrengthChart;
  private readonly curve: ForgettingCurve;
  /** Whether the page holds every memory of the user (its own strength points are only then taken). */
  private complete = false;
  private clusterFilter: string | null = null;
  private selected: string | null = null;
  private recent = new Set<string>();
  private readonly deletions: DeletionWatch;
  private readonly clusterList: ClusterList;
  private reloading = 0;

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
      clusterList: HTMLElement;
      detail: HTMLElement;
      zoom: HTMLElement;
    },
  ) {
    this.list = new VirtualList<Memory>(els.list, ROW_HEIGHT, (m, el) => this.row(m, el));
    this.graph = new ClusterGraph(els.graph);
    this.graph.onSelect = (id) => this.filterCluster(id);
    this.graph.onMemory = (id) => this.select(id, true);
    this.chart = new StrengthChart(els.chart);
    this.curve = new ForgettingCurve(els.curve);
    this.deletions = new DeletionWatch((id) => this.memories.get(id), (id) => this.forget(id), () => this.changed());
    this.clusterList = new ClusterList(els.clusterList, (id) => this.filterCluster(id));
    for (const input of [els.filter, els.type, els.state]) input.addEventListener("input", () => this.refilter());
    els.list.addEventListener("click", (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>(".vrow[data-memory-id]");
      if (row) this.select(row.dataset.memoryId!, false);
    });
    els.list.addEventListener("keydown", (e) => this.key(e));
    els.zoom.querySelectorAll<HTMLButtonElement>("button[data-zoom]").forEach((b) =>
      b.addEventListener("click", () => {
        if (b.dataset.zoom === "reset") this.graph.reset();
        else this.graph.zoomBy(b.dataset.zoom === "in" ? 1.25 : 0.8);
      }),
    );
  }

  /** Loads the user's memories and clusters afresh (what was deleted meanwhile goes too). */
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
      const clusters = items<Cluster>(await api("/api/v1/clusters"));
      this.memories = loaded;
      for (const id of this.clusters.keys()) if (!clusters.some((c) => c.id === id)) this.graph.removeCluster(id);
      this.clusters = new Map(clusters.map((c) => [c.id, c]));
      clusters.forEach((c) => this.graph.cluster(c.id, c.label ?? "", c.size ?? 1));
      this.deletions.clear();
      for (const m of loaded.values()) if (m.state === "DECAYED" && m.deleteAfter) this.deletions.watch(m.id, m.deleteAfter);
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

  /**
   * Shows the selected memory's forgetting curve: at once from what the page holds, then from
   * memory-service's current view of it (which also refreshes its details).
   */
  private async showCurve(id: string): Promise<void> {
    this.curve.show(this.memories.get(id) ?? null);
    try {
      const fresh = await api<Memory>(`/api/v1/memories/${encodeURIComponent(id)}`);
      if (this.selected !== id) return;
      const held = this.memories.get(id);
      if (held) Object.assign(held, fresh);
      this.curve.show(held ?? fresh);
      this.detail();
    } catch (e) {
      if (this.selected === id) this.curve.show(this.memories.get(id) ?? null, true);
      // a memory that is gone leaves through its deletion (memory.decayed's deleteAfter); the
      // curve stays as the page knows it
      if (e instanceof ApiError && e.status === 404) return;
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

  /** What the visualizer shows, for tests and diagnostics. */
  state() {
    const m = this.selected ? this.memories.get(this.selected) : undefined;
    return {
      memories: this.memories.size,
      shown: this.filtered.length,
      renderedRows: this.list.rendered(),
      clusterFilter: this.clusterFilter,
      selected: m ? { ...m } : null,
      graph: this.graph.state(),
    };
  }

  /** One memory as the visualizer holds it (a copy), or null. */
  memory(id: string): Memory | null {
    const m = this.memories.get(id);
    return m ? { ...m } : null;
  }

  /** Where a memory's or cluster's node is on the page (for the browser test to click it). */
  nodePoint(id: string) {
    return this.graph.clientPoint(id);
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
        break;
      case "memory.reinforced":
        if (existing) {
          Object.assign(existing, { strength: d.strength, state: REVIVED[existing.state] ?? existing.state, deleteAfter: null });
          if (d.accessCount !== undefined) existing.accessCount = d.accessCount;
          this.deletions.stop(existing.id);
        }
        break;
      case "memory.consolidated":
        if (existing) Object.assign(existing, { state: "CONSOLIDATED", strength: d.strength });
        break;
      case "memory.decayed":
        if (existing) Object.assign(existing, { state: "DECAYED", strength: d.strength, deleteAfter: d.deleteAfter });
        if (id && d.deleteAfter) this.deletions.watch(id, d.deleteAfter);
        break;
      case "memory.archived":
        if (existing) existing.state = "ARCHIVED";
        break;
      case "cluster.changed":
        this.clusterChanged(d);
        break;
    }
    const held = id ? this.memories.get(id) : undefined;
    if (held) retrace(held, frame.event, d, frame.occurredAt);
    if (this.complete && String(frame.event).startsWith("memory.")) this.chart.add(sample(this.memories.values()));
    if (id && id === this.selected) void this.showCurve(id);
    if (id) {
      const m = this.memories.get(id);
      if (m) {
        this.recent.add(id);
        setTimeout(() => this.recent.delete(id), 4000);
        this.graph.memory(id, m.content, m.clusterId);
      } else if (frame.event !== "fact.extracted") {
        // Not held here (beyond what the list loads, or changed before it was loaded): read it.
        void this.read(id);
      }
    }
    this.activity(describe(frame, id ? this.memories.get(id) : undefined));
    this.changed();
  }

  /**
   * A cluster changed. Merges and removals move their memories (REMOVED names the cluster that
   * absorbed it, if any; MERGED the clusters it absorbed); a split names the new cluster, whose
   * members are read from memory-service (the event does not list them).
   */
  private clusterChanged(d: Record<string, any>): void {
    const id: string = d.clusterId;
    const related: string[] = Array.isArray(d.relatedClusterIds) ? d.relatedClusterIds : [];
    switch (d.change) {
      case "REMOVED": {
        const into = related.find((r) => this.clusters.has(r)) ?? null;
        this.move([id], into);
        this.dropCluster(id, into);
        return;
      }
      case "MERGED":
        this.move(related, id);
        related.forEach((r) => this.dropCluster(r, id));
        break;
      case "SPLIT":
        related.forEach((r) => void this.members(r));
        break;
    }
    this.clusters.set(id, { id, label: d.label, size: d.size, stability: d.stability });
    this.graph.cluster(id, d.label, d.size);
  }

  private dropCluster(id: string, into: string | null): void {
    this.clusters.delete(id);
    this.graph.removeCluster(id);
    if (this.clusterFilter === id) this.filterCluster(into);
  }

  /** Memories of the clusters {@code from} now belong to {@code to}. */
  private move(from: string[], to: string | null): void {
    if (!from.length) return;
    for (const m of this.memories.values()) {
      if (m.clusterId && from.includes(m.clusterId)) {
        m.clusterId = to;
        this.graph.moveMemory(m.id, to);
      }
    }
  }

  /** Reads a cluster's members (the most recent 50); reloads everything when it has more. */
  private async members(clusterId: string): Promise<void> {
    try {
      const detail = await api<{ cluster: Cluster; members: Memory[] }>(`/api/v1/clusters/${clusterId}`);
      for (const member of detail.members ?? []) {
        const m = this.memories.get(member.id);
        if (m) m.clusterId = clusterId;
        else this.memories.set(member.id, { ...member, clusterId });
        this.graph.moveMemory(member.id, clusterId);
      }
      if ((detail.cluster?.size ?? 0) > (detail.members ?? []).length) this.reloadSoon();
      this.changed();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) this.reloadSoon();
    }
  }

  private reloadSoon(): void {
    clearTimeout(this.reloading);
    this.reloading = window.setTimeout(() => void this.load(), 2000);
  }

  /** Reads one memory; one that is gone leaves the list. */
  private async read(id: string): Promise<void> {
    try {
      const m = await api<Memory>(`/api/v1/memories/${id}`);
      this.memories.set(m.id, m);
      this.graph.memory(m.id, m.content, m.clusterId);
      if (m.state === "DECAYED" && m.deleteAfter) this.deletions.watch(m.id, m.deleteAfter);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) this.forget(id);
      return;
    } finally {
      this.changed();
    }
  }

  private forget(id: string): void {
    const m = this.memories.get(id);
    this.deletions.stop(id);
    this.graph.removeMemory(id);
    if (!m) return;
    this.memories.delete(id);
    this.activity(`forgotten: ${String(m.content ?? "").slice(0, 60)}`);
  }

  /**
   * Shows a memory's details and forgetting curve (from the list, the keyboard or the graph) and
   * marks its row.
   */
  select(id: string | null, reveal: boolean): void {
    this.selected = id;
    const m = id ? this.memories.get(id) : undefined;
    if (id) void this.showCurve(id);
    else this.curve.show(null);
    this.graph.selectMemory(m ? m.id : null);
    if (m) this.graph.memory(m.id, m.content, m.clusterId);
    if (m && reveal) {
      const index = this.filtered.indexOf(m);
      if (index >= 0) this.list.scrollToIndex(index);
    }
    if (m) this.els.list.setAttribute("aria-activedescendant", `memory-row-${m.id}`);
    else this.els.list.removeAttribute("aria-activedescendant");
    this.list.redraw();
    this.detail();
  }

  private key(e: KeyboardEvent): void {
    if (!this.filtered.length) return;
    const current = this.selected ? this.filtered.findIndex((m) => m.id === this.selected) : -1;
    const page = Math.max(1, Math.floor(this.els.list.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: this.filtered.length - 1,
    };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = Math.min(this.filtered.length - 1, Math.max(0, moves[e.key]));
    this.select(this.filtered[next].id, false);
    this.list.scrollToIndex(next);
  }

  private filterCluster(id: string | null): void {
    this.clusterFilter = id;
    this.graph.selectCluster(id);
    this.refilter();
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
    this.detail();
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
    const cluster = this.clusterFilter ? this.clusters.get(this.clusterFilter) : undefined;
    this.els.shown.textContent =
      `${this.filtered.length} shown` + (this.clusterFilter ? ` (cluster ${cluster?.label || "…"})` : "");
    this.list.set(this.filtered);
    this.clusterList.render(this.clusters.values(), this.clusterFilter);
  }

  private detail(): void {
    const m = this.selected ? this.memories.get(this.selected) : undefined;
    showDetail(this.els.detail, this.selected, m, m?.clusterId ? this.clusters.get(m.clusterId) : undefined);
  }

  private row(m: Memory, el: HTMLElement): void {
    const selected = m.id === this.selected;
    el.className = `vrow ${m.state.toLowerCase()}` + (this.recent.has(m.id) ? " flash" : "") + (selected ? " selected" : "");
    el.dataset.memoryId = m.id;
    el.id = `memory-row-${m.id}`;
    el.setAttribute("role", "option");
    el.setAttribute("aria-selected", String(selected));
    el.innerHTML = `<span class="badge"></span><span class="content"></span><span class="strength"><span></span></span>`;
    (el.querySelector(".badge") as HTMLElement).textContent = `${(m.type ?? "").slice(0, 4)} · ${(m.state ?? "").toLowerCase()}`;
    (el.querySelector(".content") as HTMLElement).textContent = m.content;
    const bar = el.querySelector(".strength") as HTMLElement;
    bar.dataset.strength = Number(m.strength ?? 0).toFixed(2);
    bar.title = `strength ${bar.dataset.strength}`;
    (bar.firstElementChild as HTMLElement).style.width = `${Math.round((m.strength ?? 0) * 100)}%`;
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

function describe(frame: Frame, memory?: Memory): string {
  const d = frame.data ?? {};
  const what = memory ? `: ${String(memory.content ?? "").slice(0, 40)}` : "";
  switch (frame.event) {
    case "memory.created":
      return `remembered: ${String(d.content ?? "").slice(0, 60)}`;
    case "memory.reinforced":
      return `reinforced (${String(d.reason ?? "").toLowerCase()}) → ${Number(d.strength).toFixed(2)}${what}`;
    case "memory.consolidated":
      return `consolidated${what}`;
    case "memory.decayed":
      return `decayed → ${Number(d.strength).toFixed(2)}${what}`;
    case "memory.archived":
      return `archived${what}`;
    case "fact.extracted":
      return `learnt: ${d.subject} ${d.predicate} ${d.object}`;
    case "cluster.changed":
      return `cluster ${String(d.change).toLowerCase()}: ${d.label}`;
    default:
      return frame.event;
  }
}
