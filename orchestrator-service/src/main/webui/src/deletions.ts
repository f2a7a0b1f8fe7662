// memory-service publishes no event when it deletes a memory: a DECAYED memory is deleted once its
// deleteAfter has passed (by its lifecycle sweep, unless reinforced before). So when that time
// comes the memory is read again: 404 means deleted, a revived one is updated, one still DECAYED
// (the sweep has not run yet) is read again later, backing off.
import { api, ApiError, type Memory } from "./api";

/** Longest a timer may wait in a browser (about 24.8 days); a longer wait is simply re-armed. */
const MAX_TIMER = 2 ** 31 - 1;
const MAX_BACKOFF = 600_000;

export class DeletionWatch {
  private timers = new Map<string, number>();

  constructor(
    /** The memory as held now (undefined once it left the list). */
    private readonly held: (id: string) => Memory | undefined,
    /** memory-service answered 404: the memory is gone. */
    private readonly gone: (id: string) => void,
    /** Something was learnt (the memory read again, or gone). */
    private readonly changed: () => void,
  ) {}

  /** Reads {@code id} again once {@code deleteAfter} has passed. */
  watch(id: string, deleteAfter: string, attempt = 0): void {
    this.stop(id);
    const due = Date.parse(deleteAfter) - Date.now();
    const wait = due > 0 ? Math.min(MAX_TIMER, due + 500) : Math.min(MAX_BACKOFF, 500 * 2 ** attempt);
    this.timers.set(id, window.setTimeout(() => void this.check(id, attempt), wait));
  }

  stop(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  clear(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
  }

  private async check(id: string, attempt: number): Promise<void> {
    this.timers.delete(id);
    const known = this.held(id);
    if (!known || known.state !== "DECAYED" || !known.deleteAfter) return;
    try {
      const m = await api<Memory>(`/api/v1/memories/${id}`);
      Object.assign(known, m);
      if (m.state === "DECAYED" && m.deleteAfter) this.watch(id, m.deleteAfter, attempt + 1);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) this.gone(id);
      else this.watch(id, known.deleteAfter, attempt + 1);
    }
    this.changed();
  }
}
