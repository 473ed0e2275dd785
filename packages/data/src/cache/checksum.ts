// A fast 64-bit checksum for cache files: sha256 of 48 MB takes longer than the whole reload
// budget, so the reload check is two multiply-rotate lanes over 32-bit words instead.

const PRIME_A = 0x01000193;
const PRIME_B = 0x5bd1e995;

/**
 * Lane A reads even words, lane B odd ones. Each step (xor, rotate, multiply by an odd number)
 * is a bijection of the lane state, so changing any single word always changes the result;
 * other corruption escapes with probability about 2^-64.
 */
export function checksum64(words: Uint32Array): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  const n = words.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const x = a ^ (words[i] as number);
    a = Math.imul((x << 13) | (x >>> 19), PRIME_A);
    const y = b ^ (words[i + 1] as number);
    b = Math.imul((y << 15) | (y >>> 17), PRIME_B);
  }
  if (i < n) {
    const x = a ^ (words[i] as number);
    a = Math.imul((x << 13) | (x >>> 19), PRIME_A);
  }
  // The length goes in last so that trailing zero words cannot vanish unnoticed.
  return [(a ^ n) >>> 0, Math.imul(b ^ n, PRIME_A) >>> 0];
}
