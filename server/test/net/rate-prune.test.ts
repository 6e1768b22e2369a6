import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/core';

/** A clock the test moves by hand. */
const manual = (start = 1_000_000) => {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
};

describe('RateLimiter.prune', () => {
  it('forgets keys whose bucket is full again and that have no recent strike, and only those', () => {
    const clock = manual();
    const limiter = new RateLimiter(clock, 1, 2, 3, 10_000);
    expect(limiter.check('idle').ok).toBe(true);
    // 'abuser' empties its bucket and is refused once: a strike.
    for (let i = 0; i < 3; i++) limiter.check('abuser');
    expect(limiter.size).toBe(2);
    clock.advance(2_000); // both buckets are full again
    limiter.prune();
    expect(limiter.size).toBe(1); // the strike is still within its window: 'abuser' is kept
    // Its strikes keep counting toward a close after the prune: two more refusals make three.
    for (let i = 0; i < 3; i++) limiter.check('abuser');
    const last = limiter.check('abuser');
    expect(last).toMatchObject({ ok: false, abusive: true });
    clock.advance(20_000);
    limiter.prune();
    expect(limiter.size).toBe(0);
  });

  it('a pruned key starts again with a full bucket, as if it had never been seen', () => {
    const clock = manual();
    const limiter = new RateLimiter(clock, 1, 2);
    limiter.check('k');
    clock.advance(1_000);
    limiter.prune();
    expect(limiter.size).toBe(0);
    expect([limiter.check('k').ok, limiter.check('k').ok, limiter.check('k').ok]).toEqual([
      true,
      true,
      false,
    ]);
  });
});
