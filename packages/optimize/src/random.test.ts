import { describe, expect, it } from 'vitest';
import { seededRandom } from './random';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
  });

  it('draws uniform values in [0, 1), integers in [0, n) and standard normals', () => {
    const random = seededRandom(1);
    const n = 20_000;
    let sum = 0;
    let sumSq = 0;
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const u = random.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      counts[random.int(4)]!++;
      const z = random.normal();
      sum += z;
      sumSq += z * z;
    }
    for (const count of counts) expect(count / n).toBeCloseTo(0.25, 1);
    expect(sum / n).toBeCloseTo(0, 1);
    expect(sumSq / n).toBeCloseTo(1, 1);
  });
});
