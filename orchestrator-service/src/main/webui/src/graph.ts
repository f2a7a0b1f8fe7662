// The user's memory clusters as an interactive force-directed graph: one node per cluster (area
// by size), small satellites for recently changed memories; drag nodes, click one to filter the list.

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

export class ClusterGraph {
  private nodes = new Map<string, GraphNode>();
  private dragging: GraphNode | null = null;
  private hover: GraphNode | null = null;
  private running = false;
  onSelect: (clusterId: string | null) => void = () => {};

  constructor(private readonly canvas: HTMLCanvasElement) {
    canvas.addEventListener("mousedown", (e) => {
      this.dragging = this.at(e);
      if (this.dragging?.kind === "cluster") this.onSelect(this.dragging.id);
      else if (!this.dragging) this.onSelect(null);
    });
    canvas.addEventListener("mousemove", (e) => {
      const p = this.point(e);
      if (this.dragging) {
        this.dragging.x = p.x;
        this.dragging.y = p.y;
        this.kick();
      }
      this.hover = this.at(e);
      this.kick();
    });
    window.addEventListener("mouseup", () => (this.dragging = null));
  }

  cluster(id: string, label: string, size: number): void {
    const n = this.nodes.get(id);
    if (n) {
      n.label = label || n.label;
      n.size = size;
      n.flash = 1;
    } else {
      this.nodes.set(id, this.node(id, label || "cluster", size, "cluster"));
    }
    this.kick();
  }

  removeCluster(id: string): void {
    this.nodes.delete(id);
    for (const [k, n] of this.nodes) if (n.cluster === id) this.nodes.delete(k);
    this.kick();
  }

  /** A memory that changed: shown briefly as a satellite of its cluster. */
  memory(id: string, label: string, cluster: string | null | undefined): void {
    const existing = this.nodes.get(id);
    if (existing) existing.flash = 1;
    else {
      const n = this.node(id, label, 1, "memory");
      n.cluster = cluster ?? undefined;
      this.nodes.set(id, n);
      const satellites = [...this.nodes.values()].filter((m) => m.kind === "memory");
      if (satellites.length > 60) this.nodes.delete(satellites[0].id);
    }
    this.kick();
  }

  count(): number {
    return [...this.nodes.values()].filter((n) => n.kind === "cluster").length;
  }

  private node(id: string, label: string, size: number, kind: GraphNode["kind"]): GraphNode {
    const { width, height } = this.canvas;
    return { id, label, size, kind, x: width / 2 + (Math.random() - 0.5) * 100, y: height / 2 + (Math.random() - 0.5) * 100, vx: 0, vy: 0, flash: 1 };
  }

  private radius(n: GraphNode): number {
    return n.kind === "cluster" ? 6 + Math.sqrt(n.size) * 3 : 3;
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    let steps = 0;
    const tick = () => {
      const moving = this.step();
      this.draw();
      if ((moving || this.dragging) && steps++ < 600) requestAnimationFrame(tick);
      else this.running = false;
    };
    requestAnimationFrame(tick);
  }

  private step(): boolean {
    const list = [...this.nodes.values()];
    const { width, height } = this.canvas;
    for (const a of list) {
      a.vx += (width / 2 - a.x) * 0.002;
      a.vy += (height / 2 - a.y) * 0.002;
      for (const b of list) {
        if (a === b) continue;
        const dx = a.x - b.x, dy = a.y - b.y;
        const d2 = Math.max(25, dx * dx + dy * dy);
        const f = (a.kind === "cluster" && b.kind === "cluster" ? 900 : 120) / d2;
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
      if (n === this.dragging) continue;
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
    for (const n of this.nodes.values()) {
      if (n.kind === "memory" && n.cluster) {
        const c = this.nodes.get(n.cluster);
        if (c) {
          ctx.strokeStyle = "#e3e3e3";
          ctx.beginPath();
          ctx.moveTo(n.x, n.y);
          ctx.lineTo(c.x, c.y);
          ctx.stroke();
        }
      }
    }
    for (const n of this.nodes.values()) {
      ctx.beginPath();
      ctx.arc(n.x, n.y, this.radius(n), 0, Math.PI * 2);
      ctx.fillStyle = n.kind === "cluster" ? `rgba(47,128,237,${0.35 + 0.5 * n.flash})` : `rgba(242,153,74,${0.5 + 0.5 * n.flash})`;
      ctx.fill();
      if (n.kind === "cluster" || n === this.hover) {
        ctx.fillStyle = "#333";
        ctx.fillText(n.label.slice(0, 28), n.x + this.radius(n) + 3, n.y + 4);
      }
    }
    if (!this.nodes.size) {
      ctx.fillStyle = "#999";
      ctx.fillText("No clusters yet", 10, 20);
    }
  }

  private point(e: MouseEvent) {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  private at(e: MouseEvent): GraphNode | null {
    const p = this.point(e);
    for (const n of this.nodes.values()) {
      const r = this.radius(n) + 3;
      if ((n.x - p.x) ** 2 + (n.y - p.y) ** 2 <= r * r) return n;
    }
    return null;
  }
}
