/**
 * Small seeded pseudo-random generators for reproducible splits, shuffles and demos.
 * Browser-safe: the explainer uses the same generator so a seed in the URL reproduces a run.
 */

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state advanced by the Weyl increment
 * 0x6D2B79F5, then mixed by two multiply-xorshift rounds. Period 2^32, passes gjrand/PractRand
 * at the sizes we use. Returns a function giving floats uniform in [0, 1) with 32 random bits.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n) from a [0, 1) generator. */
export function randomInt(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/** Fisher-Yates shuffle in place, driven by `random`: the same seed gives the same order. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
  return items;
}
