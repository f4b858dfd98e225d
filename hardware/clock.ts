/**
 * Time, injectable: the drivers never touch `Date.now`/`setTimeout` directly, so tests run on a manual clock
 * (fast and deterministic) and production on the system one.
 */

export type TimerHandle = { readonly id: number } | ReturnType<typeof setTimeout>;

export interface Clock {
  /** Milliseconds, monotonic enough for timeouts (the system clock uses `performance.now()`). */
  now(): number;
  /** Wall-clock time for event timestamps. */
  date(): Date;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A reader polling in the background must not keep a CLI or a test process alive.
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface ManualTimer {
  id: number;
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that only moves when told. `advance(ms)` runs every timer due within the window in time order and lets
 * pending promise callbacks settle after each one, so async drivers progress exactly as they would in real time.
 */
export class ManualClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: ManualTimer[] = [];

  constructor(private readonly epochMs = Date.UTC(2025, 2, 1, 1, 0, 0)) {}

  now(): number {
    return this.t;
  }

  date(): Date {
    return new Date(this.epochMs + this.t);
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: ManualTimer = { id: ++this.seq, at: this.t + Math.max(0, ms), seq: this.seq, fn };
    this.timers.push(timer);
    return { id: timer.id };
  }

  clearTimeout(handle: TimerHandle): void {
    const id = (handle as { id?: number }).id;
    this.timers = this.timers.filter((x) => x.id !== id);
  }

  /** Number of timers waiting (a stopped driver leaves none). */
  get pending(): number {
    return this.timers.length;
  }

  /** Move time forward by `ms`, running due timers in order. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await settle();
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.at);
      next.fn();
      await settle();
    }
    this.t = target;
    await settle();
  }

  private nextDue(target: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const x of this.timers) {
      if (x.at > target) continue;
      if (!best || x.at < best.at || (x.at === best.at && x.seq < best.seq)) best = x;
    }
    return best;
  }
}

/** Let every queued promise callback run (a macrotask turn flushes the microtask queue). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The start/stop of a driver or the device manager: `step` runs after `after(ms)`, at most one call pending,
 * none once stopped (a step still running decides by `running` whether to schedule the next).
 */
export class TimerLoop {
  private timer: TimerHandle | null = null;
  private on = false;

  constructor(
    private readonly clock: Clock,
    private readonly step: () => void,
  ) {}

  get running(): boolean {
    return this.on;
  }

  start(): void {
    if (this.on) return;
    this.on = true;
    this.after(0);
  }

  after(delayMs: number): void {
    if (!this.on || this.timer) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.step();
    }, delayMs);
  }

  stop(): void {
    this.on = false;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
