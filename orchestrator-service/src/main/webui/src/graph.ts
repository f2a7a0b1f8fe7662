// The user's memory clusters as an interactive force-directed graph: one node per cluster (radius
// by log size, capped, smaller when there are many clusters), small satellites for recently changed
// memories. Drag a node to move it, drag the background to pan, wheel (or + / - / arrows / 0 on the
// focused canvas, or the zoom buttons) to zoom and pan; click a cluster to filter the list, click a
// memory to show its details. Labels: the largest clusters, the hovered and the selected one, and
// every label that has room once zoomed in.

export interface GraphNode {
  id: string;
  label: string;
  size: number;
  kind: "cluster" | "memory";
  cluster?: string;
  x: number;
  y: number;
  vx: number;
  vy: number;
  flash: number;
}

/** What the graph shows (the test hook reads it). */
export interface GraphState {
  clusters: { id: string; label: string; size: number; radius: number }[];
  memories: { id: string; cluster: string | null }[];
  view: { k: number; tx: number; ty: number };
  selectedCluster: string | null;
  selectedMemory: string | null;
}

const MAX_RADIUS = 24;
const MIN_ZOOM = 0.25;
const MAX_ZOOM = 8;
const LABELLED = 12;
const CLICK_SLOP = 4;

interface Drag {
  node: GraphNode | null;
  start: { x: number; y: number };
  last: { x: number; y: number };
  moved: boolean;
}

export class ClusterGraph {
  private nodes = new Map<string, GraphNode>();
  private view = { k: 1, tx: 0, ty: 0 };
  private drag: Drag | null = null;
  private hover: GraphNode | null = null;
  private selectedCluster: string | null = null;
  private selectedMemory: string | null = null;
  private running = false;
  private clusters = 0;
  onSelect: (clusterId: string | null) => void = () => {};
  onMemory: (memoryId: string) => void = () => {};

  constructor(private readonly canvas: HTMLCanvasElement) {
    // Drawn at the size it is shown (labels stay 11px), keeping the canvas's aspect ratio.
    const aspect = canvas.height / canvas.width;
    new ResizeObserver(() => this.resize(aspect)).observe(canvas);
    canvas.addEventListener("mousedown", (e) => {
      const p = this.point(e);
      this.drag = { node: this.at(p), start: p, last: p, moved: false };
      e.preventDefault();
    });
    canvas.addEventListener("mousemove", (e) => {
      if (this.drag) return;
      const hover = this.at(this.point(e));
      canvas.style.cursor = hover ? "pointer" : "grab";
      if (hover !== this.hover) {
        this.hover = hover;
        this.draw();
      }
    });
    window.addEventListener("mousemove", (e) => {
      const d = this.drag;
      if (!d) return;
      const p = this.point(e);
      if (Math.hypot(p.x - d.start.x, p.y - d.start.y) > CLICK_SLOP) d.moved = true;
      if (!d.moved) return;
      if (d.node) {
        const w = this.world(p);
        d.node.x = w.x;
        d.node.y = w.y;
        this.kick();
      } else {
        this.canvas.style.cursor = "grabbing";
        this.panBy(p.x - d.last.x, p.y - d.last.y);
      }
      d.last = p;
    });
    window.addEventListener("mouseup", () => {
      const d = this.drag;
      this.drag = null;
      if (!d || d.moved) return;
      if (d.node?.kind === "memory") this.onMemory(d.node.id);
      else this.selectCluster(d.node && d.node.id !== this.selectedCluster ? d.node.id : null, true);
    });
    canvas.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        this.zoomAt(this.point(e), Math.exp(-e.deltaY * 0.0015));
      },
      { passive: false },
    );
    canvas.addEventListener("keydown", (e) => {
      const step = 40;
      const actions: Record<string, () => void> = {
        "+": () => this.zoomBy(1.25),
        "=": () => this.zoomBy(1.25),
        "-": () => this.zoomBy(0.8),
        "0": () => this.reset(),
        ArrowLeft: () => this.panBy(step, 0),
        ArrowRight: () => this.panBy(-step, 0),
        ArrowUp: () => this.panBy(0, step),
        ArrowDown: () => this.panBy(0, -step),
        Escape: () => this.selectCluster(null, true),
      };
      const action = actions[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    });
  }

  cluster(id: string, label: string, size: number): void {
    const n = this.nodes.get(id);
    if (n) {
      n.label = label || n.label;
      n.size = size;
      n.flash = 1;
    } else {
      this.nodes.set(id, this.node(id, label || "cluster", size, "cluster"));
      this.clusters++;
    }
    this.kick();
  }

  removeCluster(id: string): void {
    if (this.nodes.get(id)?.kind === "cluster" && this.nodes.delete(id)) this.clusters--;
    for (const [k, n] of this.nodes) if (n.cluster === id) this.nodes.delete(k);
    if (this.selectedCluster === id) this.selectedCluster = null;
    this.kick();
  }

  /** A memory that changed (or was selected): shown as a satellite of its current cluster. */
  memory(id: string, label: string, cluster: string | null | undefined): void {
    const existing = this.nodes.get(id);
    if (existing) {
      existing.flash = 1;
      existing.label = label || existing.label;
      existing.cluster = cluster ?? undefined;
    } else {
      const n = this.node(id, label, 1, "memory");
      n.cluster = cluster ?? undefined;
      const c = n.cluster ? this.nodes.get(n.cluster) : undefined;
      if (c) {
        n.x = c.x + (Math.random() - 0.5) * 20;
        n.y = c.y + (Math.random() - 0.5) * 20;
      }
      this.nodes.set(id, n);
      const satellites = [...this.nodes.values()].filter((m) => m.kind === "memory" && m.id !== this.selectedMemory);
      if (satellites.length > 60) this.nodes.delete(satellites[0].id);
    }
    this.kick();
  }

  /** A memory moved to another cluster (a merge or a split): its satellite follows, if shown. */
  moveMemory(id: string, cluster: string | null): void {
    const n = this.nodes.get(id);
    if (n?.kind !== "memory") return;
    n.cluster = cluster ?? undefined;
    this.kick();
  }

  /** A memory that is gone. */
  removeMemory(id: string): void {
    if (this.nodes.get(id)?.kind === "memory") this.nodes.delete(id);
    if (this.selectedMemory === id) this.selectedMemory = null;
    this.kick();
  }

  /** Marks a cluster as the list's filter (from the graph, the cluster list or the code). */
  selectCluster(id: string | null, notify = false): void {
    this.selectedCluster = id;
    this.draw();
    if (notify) this.onSelect(id);
  }

  /** Rings the memory shown in the details panel. */
  selectMemory(id: string | null): void {
    this.selectedMemory = id;
    this.draw();
  }

  count(): number {
    return this.clusters;
  }

  zoomBy(factor: number): void {
    this.zoomAt({ x: this.canvas.width / 2, y: this.canvas.height / 2 }, factor);
  }

  reset(): void {
    this.view = { k: 1, tx: 0, ty: 0 };
    this.draw();
  }

  state(): GraphState {
    const all = [...this.nodes.values()];
    return {
      clusters: all
        .filter((n) => n.kind === "cluster")
        .map((n) => ({ id: n.id, label: n.label, size: n.size, radius: this.radius(n) })),
      memories: all.filter((n) => n.kind === "memory").map((n) => ({ id: n.id, cluster: n.cluster ?? null })),
      view: { ...this.view },
      selectedCluster: this.selectedCluster,
      selectedMemory: this.selectedMemory,
    };
  }

  /** Where a node is on the page (client coordinates), to point at it. */
  clientPoint(id: string): { x: number; y: number } | null {
    const n = this.nodes.get(id);
    if (!n) return null;
    const r = this.canvas.getBoundingClientRect();
    const s = this.screen(n);
    return { x: r.left + (s.x * r.width) / this.canvas.width, y: r.top + (s.y * r.height) / this.canvas.height };
  }

  private resize(aspect: number): void {
    const width = Math.round(this.canvas.clientWidth);
    if (!width || width === this.canvas.width) return;
    const height = Math.round(width * aspect);
    const sx = width / this.canvas.width, sy = height / this.canvas.height;
    for (const n of this.nodes.values()) {
      n.x *= sx;
      n.y *= sy;
    }
    this.canvas.width = width;
    this.canvas.height = height;
    this.draw();
  }

  private zoomAt(p: { x: number; y: number }, factor: number): void {
    const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.view.k * factor));
    const w = this.world(p);
    this.view = { k, tx: p.x - w.x * k, ty: p.y - w.y * k };
    this.draw();
  }

  private panBy(dx: number, dy: number): void {
    this.view.tx += dx;
    this.view.ty += dy;
    this.draw();
  }

  private node(id: string, label: string, size: number, kind: GraphNode["kind"]): GraphNode {
    const { width, height } = this.canvas;
    return { id, label, size, kind, x: width / 2 + (Math.random() - 0.5) * 100, y: height / 2 + (Math.random() - 0.5) * 100, vx: 0, vy: 0, flash: 1 };
  }

  /**
   * A cluster's radius grows with the logarithm of its size (1 memory: 6, 100: 13, 5,000: 20) and
   * is capped: at {@link MAX_RADIUS}, and lower when many clusters share the canvas.
   */
  private radius(n: GraphNode): number {
    if (n.kind !== "cluster") return 3;
    const clusters = Math.max(1, this.clusters);
    const room = 0.45 * Math.sqrt((this.canvas.width * this.canvas.height) / (Math.PI * clusters));
    const cap = Math.max(5, Math.min(MAX_RADIUS, room));
    return Math.min(cap, 5 + 4 * Math.log10(1 + Math.max(0, n.size)));
  }

  /** The radius on screen: clusters scale with the zoom, memories stay small dots. */
  private drawn(n: GraphNode): number {
    return this.radius(n) * (n.kind === "cluster" ? this.view.k : Math.min(2, Math.max(1, this.view.k)));
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    let steps = 0;
    const tick = () => {
      const moving = this.step();
      this.draw();
      if ((moving || this.drag?.node) && steps++ < 600) requestAnimationFrame(tick);
      else this.running = false;
    };
    requestAnimationFrame(tick);
  }

  private step(): boolean {
    const list = [...this.nodes.values()];
    const { width, height } = this.canvas;
    for (const a of list) {
      a.vx += (width / 2 - a.x) * 0.004;
      a.vy += (height / 2 - a.y) * 0.004;
      for (const b of list) {
        // Memories keep apart and off the clusters; a cluster is not pushed by memories (its own
        // satellites would chase it to the edge).
        if (a === b || (a.kind === "cluster" && b.kind === "memory")) continue;
        const dx = a.x - b.x, dy = a.y - b.y;
        const d2 = Math.max(25, dx * dx + dy * dy);
        const f = (a.kind === "cluster" && b.kind === "cluster" ? 300 : 60) / d2;
        a.vx += dx * f * 0.05;
        a.vy += dy * f * 0.05;
      }
      if (a.kind === "memory" && a.cluster) {
        const c = this.nodes.get(a.cluster);
        if (c) {
          a.vx += (c.x - a.x) * 0.02;
          a.vy += (c.y - a.y) * 0.02;
        }
      }
    }
    let energy = 0;
    for (const n of list) {
      if (n === this.drag?.node) continue;
      n.vx *= 0.85;
      n.vy *= 0.85;
      n.x = Math.min(width - 8, Math.max(8, n.x + n.vx));
      n.y = Math.min(height - 8, Math.max(8, n.y + n.vy));
      n.flash = Math.max(0, n.flash - 0.02);
      energy += Math.abs(n.vx) + Math.abs(n.vy) + n.flash;
    }
    return energy > 0.5;
  }

  private draw(): void {
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.font = "11px system-ui";
    ctx.lineWidth = 1;
    for (const n of this.nodes.values()) {
      if (n.kind === "memory" && n.cluster) {
        const c = this.nodes.get(n.cluster);
        if (c) {
          const a = this.screen(n), b = this.screen(c);
          ctx.strokeStyle = "#e3e3e3";
          ctx.beginPath();
          ctx.moveTo(a.x, a.y);
          ctx.lineTo(b.x, b.y);
          ctx.stroke();
        }
      }
    }
    for (const n of this.nodes.values()) {
      const s = this.screen(n);
      const r = this.drawn(n);
      ctx.beginPath();
      ctx.arc(s.x, s.y, r, 0, Math.PI * 2);
      const dim = this.selectedCluster && n.kind === "cluster" && n.id !== this.selectedCluster;
      ctx.fillStyle = n.kind === "cluster"
        ? `rgba(47,128,237,${(dim ? 0.15 : 0.35) + 0.5 * n.flash})`
        : `rgba(242,153,74,${0.5 + 0.5 * n.flash})`;
      ctx.fill();
      if (n.id === this.selectedCluster || n.id === this.selectedMemory) {
        ctx.strokeStyle = "#1b4f9c";
        ctx.lineWidth = 2;
        ctx.stroke();
        ctx.lineWidth = 1;
      }
    }
    this.labels(ctx);
    if (!this.nodes.size) {
      ctx.fillStyle = "#999";
      ctx.fillText("No clusters yet", 10, 20);
    }
  }

  /** Labels that do not overlap: selected and hovered first, then the largest clusters. */
  private labels(ctx: CanvasRenderingContext2D): void {
    const clusters = [...this.nodes.values()].filter((n) => n.kind === "cluster").sort((a, b) => b.size - a.size);
    const wanted = [
      ...[this.hover, this.nodes.get(this.selectedCluster ?? ""), this.nodes.get(this.selectedMemory ?? "")],
      ...clusters.slice(0, this.view.k >= 2 ? clusters.length : LABELLED),
    ].filter((n, i, all): n is GraphNode => !!n && all.indexOf(n) === i);
    const taken: { x: number; y: number; w: number; h: number }[] = [];
    for (const n of wanted) {
      const s = this.screen(n);
      const r = this.drawn(n);
      const text = n.label.length > 28 ? `${n.label.slice(0, 27)}…` : n.label;
      const w = ctx.measureText(text).width;
      // Right of the node, or left of it when that would leave the canvas.
      const x = s.x + r + 3 + w > this.canvas.width ? s.x - r - 3 - w : s.x + r + 3;
      const box = { x, y: s.y - 8, w, h: 12 };
      const important = n === this.hover || n.id === this.selectedCluster || n.id === this.selectedMemory;
      if (!important && taken.some((t) => box.x < t.x + t.w && t.x < box.x + box.w && box.y < t.y + t.h && t.y < box.y + box.h)) continue;
      taken.push(box);
      ctx.fillStyle = "rgba(255,255,255,0.8)";
      ctx.fillRect(box.x - 1, box.y, box.w + 2, box.h + 1);
      ctx.fillStyle = "#333";
      ctx.fillText(text, box.x, s.y + 4);
    }
  }

  private screen(n: GraphNode): { x: number; y: number } {
    return { x: n.x * this.view.k + this.view.tx, y: n.y * this.view.k + this.view.ty };
  }

  private world(p: { x: number; y: number }): { x: number; y: number } {
    return { x: (p.x - this.view.tx) / this.view.k, y: (p.y - this.view.ty) / this.view.k };
  }

  private point(e: MouseEvent) {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  /** The node under a canvas point: memories (drawn small, on top) before clusters. */
  private at(p: { x: number; y: number }): GraphNode | null {
    let found: GraphNode | null = null;
    for (const n of this.nodes.values()) {
      const s = this.screen(n);
      const r = this.drawn(n) + 3;
      if ((s.x - p.x) ** 2 + (s.y - p.y) ** 2 > r * r) continue;
      if (n.kind === "memory") return n;
      found ??= n;
    }
    return found;
  }
}
