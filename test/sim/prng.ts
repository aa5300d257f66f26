/**
 * mulberry32: a small, fast, seeded PRNG (32-bit state), plenty for drawing scenarios. The same seed draws the
 * same numbers on every machine and Node version (integer arithmetic only).
 * @example
 * const random = mulberry32(42); random(); // 0..1
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
