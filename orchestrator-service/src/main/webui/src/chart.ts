// Strength over time. StrengthChart: the mean strength of the user's memories per state, from the
// history memory-service keeps (GET /api/v1/analytics/strength: a sample of every type and state each
// hour, up to 90 days) followed by points the page adds live as memory_update frames arrive.
// ForgettingCurve: one memory's strength S(t) = S_r · exp(−(t − t_r)/τ) since its last
// reinforcement t_r, and ahead of now until it falls below the forget threshold.

/** Mean strength of the memories of one type and state at one time. */
export interface StrengthPoint {
  at: number;
  type: string;
  state: string;
  count: number;
  meanStrength: number;
  /** Added by the page from the memories it holds, not read from the history. */
  live: boolean;
}

/** What GET /api/v1/analytics/strength answers. */
export interface StrengthHistory {
  forgetThreshold?: number;
  points?: { at: string; type: string; state: string; count: number; meanStrength: number }[];
}

/** What a memory's forgetting curve is drawn from (as GET /api/v1/memories/{id} shows it). */
export interface Trace {
  id: string;
  type: string;
  state: string;
  content?: string;
  strength: number;
  reinforcedStrength?: number;
  reinforcedAt?: string;
  stabilityDays?: number;
}

const COLORS: Record<string, string> = {
  ACTIVE: "#2f80ed",
  CONSOLIDATED: "#27ae60",
  ARCHIVED: "#9b9b9b",
  DECAYED: "#eb5757",
};
const DAY = 86_400_000;
const LIVE_LIMIT = 1000;

/** A memory's strength at `at` (ms), from its trace when known, else the strength it was given. */
export function strengthAt(m: Trace, at: number): number {
  const t = m.reinforcedAt ? Date.parse(m.reinforcedAt) : NaN;
  if (m.reinforcedStrength == null || !m.stabilityDays || Number.isNaN(t)) return m.strength ?? 0;
  return m.reinforcedStrength * Math.exp(-Math.max(0, at - t) / (m.stabilityDays * DAY));
}

/** A memory's trace after a memory_update frame about it (the frames carry no time constant). */
export function retrace(m: Trace, event: string, data: Record<string, any>, occurredAt?: string): void {
  switch (event) {
    case "memory.created":
      Object.assign(m, { reinforcedStrength: data.strength, reinforcedAt: data.createdAt });
      break;
    case "memory.reinforced":
      Object.assign(m, { reinforcedStrength: data.strength, reinforcedAt: data.reinforcedAt ?? occurredAt });
      break;
    case "memory.consolidated":
      Object.assign(m, {
        reinforcedStrength: data.strength,
        reinforcedAt: occurredAt,
        stabilityDays: m.stabilityDays ? m.stabilityDays * 3 : undefined,
      });
      break;
  }
}

/** The live sample of the memories the page holds: count and mean current strength by type and state. */
export function sample(memories: Iterable<Trace>, at = Date.now()): StrengthPoint[] {
  const groups = new Map<string, StrengthPoint>();
  for (const m of memories) {
    const key = `${m.type}/${m.state}`;
    const g = groups.get(key) ?? { at, type: m.type, state: m.state, count: 0, meanStrength: 0, live: true };
    g.meanStrength += strengthAt(m, at);
    g.count++;
    groups.set(key, g);
  }
  for (const g of groups.values()) g.meanStrength /= g.count;
  return [...groups.values()];
}

export class StrengthChart {
  private stored: StrengthPoint[] = [];
  private live: StrengthPoint[] = [];
  private type = "";
  forgetThreshold = 0.1;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.draw();
  }

  /** Replaces the history with memory-service's; the live points stay. */
  history(body: StrengthHistory): void {
    if (typeof body?.forgetThreshold === "number") this.forgetThreshold = body.forgetThreshold;
    this.stored = (body?.points ?? []).map((p) => ({ ...p, at: Date.parse(p.at), live: false }));
    this.draw();
  }

  /** Appends one live sample (the points of one time). */
  add(points: StrengthPoint[]): void {
    this.live.push(...points);
    while (this.live.length > LIVE_LIMIT) this.live.shift();
    this.draw();
  }

  /** Shows only memories of this type ("" for all). */
  filter(type: string): void {
    if (type === this.type) return;
    this.type = type;
    this.draw();
  }

  /** Per state, the count-weighted mean strength over the types shown, oldest first (what is drawn). */
  series(): Record<string, { at: number; value: number; count: number; live: boolean }[]> {
    const byTime = new Map<string, { at: number; live: boolean; state: string; sum: number; count: number }>();
    for (const p of [...this.stored, ...this.live]) {
      if (this.type && p.type !== this.type) continue;
      const key = `${p.live}/${p.at}/${p.state}`;
      const g = byTime.get(key) ?? { at: p.at, live: p.live, state: p.state, sum: 0, count: 0 };
      g.sum += p.meanStrength * p.count;
      g.count += p.count;
      byTime.set(key, g);
    }
    const out: Record<string, { at: number; value: number; count: number; live: boolean }[]> = {};
    for (const g of byTime.values()) {
      if (!g.count) continue;
      (out[g.state] ??= []).push({ at: g.at, value: g.sum / g.count, count: g.count, live: g.live });
    }
    for (const s of Object.values(out)) s.sort((a, b) => a.at - b.at);
    return out;
  }

  private draw(): void {
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    const series = this.series();
    const all = Object.values(series).flat();
    const plot = frame(ctx, this.canvas, `mean strength by state${this.type ? ` (${this.type.toLowerCase()})` : ""}`);
    if (!all.length) {
      ctx.fillStyle = "#999";
      ctx.fillText("no history yet", plot.left + 6, plot.top + 16);
      return;
    }
    const axis = plot.time(
      all.reduce((t, p) => Math.min(t, p.at), Infinity),
      all.reduce((t, p) => Math.max(t, p.at), Date.now()),
    );
    let legend = plot.left + 150;
    for (const state of Object.keys(COLORS)) {
      const points = series[state];
      if (!points?.length) continue;
      ctx.strokeStyle = ctx.fillStyle = COLORS[state];
      ctx.beginPath();
      points.forEach((p, i) => (i ? ctx.lineTo(axis.x(p.at), plot.y(p.value)) : ctx.moveTo(axis.x(p.at), plot.y(p.value))));
      ctx.stroke();
      // a dot for every point while they are few, and always for the latest: one point still shows
      points.forEach((p, i) => {
        if (points.length <= 48 || i === points.length - 1) dot(ctx, axis.x(p.at), plot.y(p.value));
      });
      ctx.fillText(state.toLowerCase(), legend, 12);
      legend += 78;
    }
  }
}

export class ForgettingCurve {
  private memory: Trace | null = null;
  private unavailable = false;
  forgetThreshold = 0.1;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.draw();
  }

  /** Shows a memory's curve; `unavailable` when memory-service could not be asked for it. */
  show(memory: Trace | null, unavailable = false): void {
    this.memory = memory;
    this.unavailable = unavailable;
    this.draw();
  }

  /** What is drawn: the curve from the last reinforcement to the forget threshold, and now. */
  shown(): {
    memoryId: string;
    threshold: number;
    reinforcedAt: number;
    forgetAt: number;
    now: { at: number; strength: number };
    points: { at: number; strength: number }[];
  } | null {
    const m = this.memory;
    if (!m || m.reinforcedStrength == null || !m.reinforcedAt || !m.stabilityDays) return null;
    const from = Date.parse(m.reinforcedAt);
    const tau = m.stabilityDays * DAY;
    const forgetAt = from + (m.reinforcedStrength > this.forgetThreshold ? tau * Math.log(m.reinforcedStrength / this.forgetThreshold) : 0);
    const now = Date.now();
    const to = Math.max(forgetAt, now);
    const points = Array.from({ length: 97 }, (_, i) => {
      const at = from + ((to - from) * i) / 96;
      return { at, strength: strengthAt(m, at) };
    });
    return { memoryId: m.id, threshold: this.forgetThreshold, reinforcedAt: from, forgetAt, now: { at: now, strength: strengthAt(m, now) }, points };
  }

  private draw(): void {
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    const m = this.memory;
    const title = m ? `forgetting curve: ${(m.content ?? m.id).slice(0, 48)}` : "forgetting curve";
    const plot = frame(ctx, this.canvas, title);
    const curve = this.shown();
    if (!curve) {
      ctx.fillStyle = "#999";
      ctx.fillText(!m ? "select a memory to see its forgetting curve" : this.unavailable ? "no curve known for this memory" : "loading this memory's curve…", plot.left + 6, plot.top + 16);
      return;
    }
    const axis = plot.time(curve.reinforcedAt, curve.points[curve.points.length - 1].at);
    // the forget threshold
    ctx.strokeStyle = ctx.fillStyle = COLORS.DECAYED;
    ctx.setLineDash([3, 3]);
    line(ctx, plot.left, plot.y(curve.threshold), plot.right, plot.y(curve.threshold));
    ctx.fillText(`forgotten below ${curve.threshold}`, plot.right - 110, plot.y(curve.threshold) - 3);
    // the past since the last reinforcement (solid), the projection (dashed)
    ctx.strokeStyle = COLORS[this.memory!.state] ?? COLORS.ACTIVE;
    for (const past of [true, false]) {
      const part = curve.points.filter((p) => (p.at <= curve.now.at) === past);
      if (!part.length) continue;
      if (!past) part.unshift(curve.now);
      ctx.setLineDash(past ? [] : [5, 4]);
      ctx.beginPath();
      part.forEach((p, i) => (i ? ctx.lineTo(axis.x(p.at), plot.y(p.strength)) : ctx.moveTo(axis.x(p.at), plot.y(p.strength))));
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.fillStyle = ctx.strokeStyle;
    dot(ctx, axis.x(curve.now.at), plot.y(curve.now.strength));
    ctx.fillStyle = "#666";
    const labelY = plot.y(curve.now.strength) - 5 < plot.top + 6 ? plot.y(curve.now.strength) + 13 : plot.y(curve.now.strength) - 5;
    ctx.fillText(`now ${curve.now.strength.toFixed(2)}`, Math.min(axis.x(curve.now.at) + 5, plot.right - 60), labelY);
  }
}

/** Clears the canvas, draws the frame, the title and the strength axis; returns the plot's scales. */
function frame(ctx: CanvasRenderingContext2D, canvas: HTMLCanvasElement, title: string) {
  const { width, height } = canvas;
  const left = 26;
  const right = width - 8;
  const top = 20;
  const bottom = height - 16;
  ctx.clearRect(0, 0, width, height);
  ctx.setLineDash([]);
  ctx.lineWidth = 1;
  ctx.strokeStyle = "#ddd";
  ctx.strokeRect(0.5, 0.5, width - 1, height - 1);
  ctx.font = "11px system-ui";
  ctx.fillStyle = "#666";
  ctx.fillText(title, 6, 12);
  const y = (v: number) => bottom - Math.max(0, Math.min(1, v)) * (bottom - top);
  ctx.strokeStyle = "#eee";
  for (const v of [0, 0.5, 1]) {
    line(ctx, left, y(v), right, y(v));
    ctx.fillText(String(v), 6, y(v) + 4);
  }
  const time = (t0: number, t1: number) => {
    // one instant (a single sample) sits in the middle of an hour
    if (t1 - t0 < 60_000) [t0, t1] = [t0 - 1_800_000, t1 + 1_800_000];
    ctx.fillStyle = "#999";
    ctx.fillText(when(t0, t1 - t0), left, height - 4);
    const end = when(t1, t1 - t0);
    ctx.fillText(end, right - ctx.measureText(end).width, height - 4);
    return { x: (t: number) => left + ((t - t0) / (t1 - t0)) * (right - left) };
  };
  return { left, right, top, bottom, y, time };
}

function when(t: number, span: number): string {
  const d = new Date(t);
  return span > 2 * DAY
    ? d.toLocaleDateString(undefined, { month: "short", day: "numeric" })
    : d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

function line(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

function dot(ctx: CanvasRenderingContext2D, x: number, y: number): void {
  ctx.beginPath();
  ctx.arc(x, y, 2.5, 0, 2 * Math.PI);
  ctx.fill();
}
