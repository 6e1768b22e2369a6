import { describe, expect, it } from 'vitest';
import { fullJitterDelayMs } from '../src/sdk';

describe('fullJitterDelayMs (SDK resume and the web client share it)', () => {
  const o = { baseDelayMs: 500, maxDelayMs: 30_000 };

  it('the ceiling starts at the base, doubles per failure and stops at the maximum', () => {
    const ceiling = (n: number) => fullJitterDelayMs(n, { ...o, random: () => 0.999_999_9 }) + 1;
    expect([1, 2, 3, 4, 6, 7, 50].map(ceiling)).toEqual([500, 1000, 2000, 4000, 16_000, 30_000, 30_000]);
  });

  it('the delay is uniform below the ceiling (full jitter), whole milliseconds', () => {
    expect(fullJitterDelayMs(3, { ...o, random: () => 0 })).toBe(0);
    expect(fullJitterDelayMs(3, { ...o, random: () => 0.5 })).toBe(1000);
    expect(fullJitterDelayMs(3, { ...o, random: () => 0.123_45 })).toBe(246);
  });
});
