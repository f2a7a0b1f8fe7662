// Strength over time: the mean strength of the user's memories per state, sampled on every change.

export interface Sample {
  at: number;
  byState: Record<string, number>;
}

const COLORS: Record<string, string> = {
  ACTIVE: "#2f80ed",
  CONSOLIDATED: "#27ae60",
  ARCHIVED: "#9b9b9b",
  DECAYED: "#eb5757",
};

export class StrengthChart {
  private samples: Sample[] = [];

  constructor(private readonly canvas: HTMLCanvasElement, private readonly limit = 240) {}

  add(sample: Sample): void {
    this.samples.push(sample);
    if (this.samples.length > this.limit) this.samples.shift();
    this.draw();
  }

  size(): number {
    return this.samples.length;
  }

  private draw(): void {
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    const { width, height } = this.canvas;
    ctx.clearRect(0, 0, width, height);
    ctx.strokeStyle = "#ddd";
    ctx.strokeRect(0.5, 0.5, width - 1, height - 1);
    ctx.fillStyle = "#666";
    ctx.font = "11px system-ui";
    ctx.fillText("mean strength by state", 6, 13);
    if (this.samples.length < 1) return;
    const t0 = this.samples[0].at;
    const t1 = Math.max(t0 + 1, this.samples[this.samples.length - 1].at);
    const x = (t: number) => 4 + ((t - t0) / (t1 - t0)) * (width - 8);
    const y = (v: number) => height - 6 - v * (height - 24);
    let legend = 160;
    for (const state of Object.keys(COLORS)) {
      const points = this.samples.filter((s) => state in s.byState);
      if (!points.length) continue;
      ctx.strokeStyle = COLORS[state];
      ctx.beginPath();
      points.forEach((s, i) => (i ? ctx.lineTo(x(s.at), y(s.byState[state])) : ctx.moveTo(x(s.at), y(s.byState[state]))));
      ctx.stroke();
      ctx.fillStyle = COLORS[state];
      ctx.fillText(state.toLowerCase(), legend, 13);
      legend += 80;
    }
  }
}
