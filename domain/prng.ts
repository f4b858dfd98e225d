/**
 * A small seeded PRNG (mulberry32): the simulator's fault injection and the tests' fixtures reproduce from
 * their seed. Pure, no I/O.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  readonly seed: number;
}

export function mulberry32(seed: number): Prng {
  let a = seed >>> 0;
  return {
    seed: seed >>> 0,
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
