// A virtualized list: only the rows in view (plus a small overscan) exist in the DOM, so 10,000+
// rows scroll smoothly.

export class VirtualList<T> {
  private rows: T[] = [];
  private readonly spacer: HTMLElement;
  private readonly window: HTMLElement;
  private frame = 0;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly rowHeight: number,
    private readonly render: (row: T, el: HTMLElement) => void,
    private readonly overscan = 8,
  ) {
    this.spacer = viewport.querySelector(".vlist-spacer") as HTMLElement;
    this.window = document.createElement("div");
    this.window.className = "vlist-window";
    this.window.setAttribute("role", "presentation");
    viewport.append(this.window);
    viewport.addEventListener("scroll", () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  set(rows: T[]): void {
    this.rows = rows;
    this.spacer.style.height = `${rows.length * this.rowHeight}px`;
    this.schedule();
  }

  /** Draws the rows in view again (after something they show changed). */
  redraw(): void {
    this.schedule();
  }

  /** Scrolls just enough for row {@code index} to be in view. */
  scrollToIndex(index: number): void {
    const top = index * this.rowHeight;
    const height = this.viewport.clientHeight || 400;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + this.rowHeight > this.viewport.scrollTop + height) this.viewport.scrollTop = top + this.rowHeight - height;
    this.schedule();
  }

  /** How many rows are in the DOM now (for tests and diagnostics). */
  rendered(): number {
    return this.window.childElementCount;
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - this.overscan);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / this.rowHeight) + this.overscan);
    const children = this.window.children;
    const needed = last - first;
    while (children.length < needed) {
      const el = document.createElement("div");
      el.className = "vrow";
      el.style.height = `${this.rowHeight}px`;
      this.window.append(el);
    }
    while (children.length > needed) this.window.lastElementChild!.remove();
    this.window.style.transform = `translateY(${first * this.rowHeight}px)`;
    for (let i = 0; i < needed; i++) this.render(this.rows[first + i], children[i] as HTMLElement);
  }
}
