// Deterministic pseudo-random numbers for generated demo data: the same seed text always gives
// the same draws, on any machine and in any order of calls, so generated rows can be written
// again or filled in later and come out identical. Not for anything secret.

/** FNV-1a, 32 bit. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `count` uint32 draws from a splitmix32 stream seeded with the FNV-1a hash of `seed`. */
export function seededDraws(seed: string, count: number): number[] {
  let state = hash32(seed);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    out.push((z ^ (z >>> 16)) >>> 0);
  }
  return out;
}
