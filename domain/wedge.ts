/**
 * Keyboard-wedge scan detection by keystroke timing, for scanners in keyboard mode (the OS owns keyboards on
 * Windows/macOS, so only the window sees those keys). Scanners type 1–19 ms apart; people rarely under 30 ms.
 * A burst of more than two keys each under `maxGapMs` apart, ended by Enter or Tab, is a scan; a gap over
 * `endGapMs` ends a burst.
 *
 * DEPENDENCY-FREE ON PURPOSE: no imports, no Node or DOM APIs, so the renderer can use it (or it can move to
 * core/) unchanged. Feed it `KeyboardEvent.key` and `event.timeStamp`.
 */

export interface WedgeOptions {
  /** Largest gap between two keys of a scan (default 30 ms). */
  maxGapMs?: number;
  /** A gap this long ends a burst (default 40 ms). */
  endGapMs?: number;
  /** Fewest characters for a scan (default 3: "more than two keys"). */
  minLength?: number;
  /** Keys that end a scan (default Enter and Tab). */
  terminators?: string[];
  /** Accept a fast burst with no terminator after this idle time via `idle()` (default: off, 0). */
  idleAcceptMs?: number;
  maxLength?: number;
}

export interface WedgeScan {
  value: string;
  /** From the first key to the terminator. */
  durationMs: number;
}

export class WedgeDetector {
  private chars: string[] = [];
  private first = 0;
  private last = 0;
  private fast = true;
  private readonly maxGapMs: number;
  private readonly endGapMs: number;
  private readonly minLength: number;
  private readonly terminators: string[];
  private readonly idleAcceptMs: number;
  private readonly maxLength: number;

  constructor(options: WedgeOptions = {}) {
    this.maxGapMs = options.maxGapMs ?? 30;
    this.endGapMs = options.endGapMs ?? 40;
    this.minLength = options.minLength ?? 3;
    this.terminators = options.terminators ?? ['Enter', 'Tab'];
    this.idleAcceptMs = options.idleAcceptMs ?? 0;
    this.maxLength = options.maxLength ?? 512;
  }

  /**
   * Feed one key-down. Returns the scan when `key` is a terminator that ends a scanner-speed burst (the renderer
   * then prevents the default of that Enter/Tab and routes the value); otherwise null.
   */
  key(key: string, timeMs: number): WedgeScan | null {
    if (this.chars.length > 0 && timeMs - this.last > this.endGapMs) this.reset();
    if (this.terminators.includes(key)) {
      const scan = this.chars.length >= this.minLength && this.fast && this.chars.length > 0 ? this.result(timeMs) : null;
      this.reset();
      return scan;
    }
    if (key.length !== 1 && [...key].length !== 1) return null; // Shift, Control, arrows…: not part of the text
    if (this.chars.length > 0 && timeMs - this.last > this.maxGapMs) this.fast = false;
    if (this.chars.length === 0) this.first = timeMs;
    this.chars.push(key);
    this.last = timeMs;
    if (this.chars.length > this.maxLength) this.reset();
    return null;
  }

  /** Call on a timer: with `idleAcceptMs` set, a fast burst followed by silence is a scan with no terminator. */
  idle(timeMs: number): WedgeScan | null {
    if (this.idleAcceptMs <= 0 || this.chars.length === 0 || timeMs - this.last < this.idleAcceptMs) return null;
    const scan = this.chars.length >= this.minLength && this.fast ? this.result(this.last) : null;
    this.reset();
    return scan;
  }

  /** True while the keys so far could still become a scan (the renderer may hold them back from an input). */
  get inBurst(): boolean {
    return this.chars.length > 0 && this.fast;
  }

  /** The characters held for the current burst (to give back to an input when it turns out to be typing). */
  get pending(): string {
    return this.chars.join('');
  }

  reset(): void {
    this.chars = [];
    this.fast = true;
  }

  private result(endMs: number): WedgeScan {
    return { value: this.chars.join(''), durationMs: endMs - this.first };
  }
}
