import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lease } from '../../src/cluster';
import { waitFor } from '../support/wait';

/** As RegistryEnv: two nodes' handles on one lease space, and a way to let time pass. */
export interface LeaseEnv {
  a: Lease;
  b: Lease;
  shortTtlMs: number;
  elapse(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

const LONG_TTL_MS = 60_000;

export function leaseContract(name: string, makeEnv: () => Promise<LeaseEnv>): void {
  describe(`Lease contract: ${name}`, () => {
    let env: LeaseEnv;

    beforeEach(async () => {
      env = await makeEnv();
    });

    afterEach(async () => {
      await env.cleanup();
    });

    it('R-LEA-1: one owner at a time: a second owner cannot acquire a held lease', async () => {
      expect(await env.a.owner('janitor')).toBeNull();
      expect(await env.a.acquire('janitor', 'node-a', LONG_TTL_MS)).toBe(true);
      expect(await env.b.acquire('janitor', 'node-b', LONG_TTL_MS)).toBe(false);
      expect(await env.b.owner('janitor')).toBe('node-a');
      // Leases with other keys are independent.
      expect(await env.b.acquire('other', 'node-b', LONG_TTL_MS)).toBe(true);
    });

    it('R-LEA-1: of many simultaneous contenders exactly one wins', async () => {
      const contenders = Array.from({ length: 8 }, (_, i) => `node-${i}`);
      const results = await Promise.all(
        contenders.map((owner, i) => (i % 2 ? env.a : env.b).acquire('race', owner, LONG_TTL_MS)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await env.a.owner('race')).toBe(contenders[results.indexOf(true)]);
    });

    it('R-LEA-2: only the owner can renew; a refused renew changes nothing', async () => {
      await env.a.acquire('k', 'node-a', LONG_TTL_MS);
      expect(await env.a.renew('k', 'node-a', LONG_TTL_MS)).toBe(true);
      expect(await env.b.renew('k', 'node-b', LONG_TTL_MS)).toBe(false);
      expect(await env.b.renew('free-key', 'node-b', LONG_TTL_MS)).toBe(false);
      expect(await env.b.owner('k')).toBe('node-a');
      expect(await env.b.owner('free-key')).toBeNull();
    });

    it('R-LEA-3: only the owner can release; then another owner can acquire', async () => {
      await env.a.acquire('k', 'node-a', LONG_TTL_MS);
      await env.b.release('k', 'node-b');
      expect(await env.b.owner('k')).toBe('node-a');
      await env.a.release('k', 'node-a');
      expect(await env.b.owner('k')).toBeNull();
      expect(await env.b.acquire('k', 'node-b', LONG_TTL_MS)).toBe(true);
    });

    it('R-LEA-4: an unrenewed lease expires; another owner takes it; the old owner can neither renew nor release it', async () => {
      await env.a.acquire('k', 'node-a', env.shortTtlMs);
      await env.elapse(env.shortTtlMs);
      await waitFor('node-b to take over the expired lease', () => env.b.acquire('k', 'node-b', LONG_TTL_MS));
      expect(await env.a.renew('k', 'node-a', LONG_TTL_MS)).toBe(false);
      await env.a.release('k', 'node-a');
      expect(await env.a.owner('k')).toBe('node-b');
    });

    it('R-LEA-5: acquiring a lease one already holds succeeds and restarts its TTL', async () => {
      await env.a.acquire('k', 'node-a', env.shortTtlMs);
      expect(await env.a.acquire('k', 'node-a', LONG_TTL_MS)).toBe(true);
      await env.elapse(env.shortTtlMs * 2);
      expect(await env.b.owner('k')).toBe('node-a');
    });

    it('R-LEA-6: renew restarts the TTL', async () => {
      await env.a.acquire('k', 'node-a', env.shortTtlMs);
      expect(await env.a.renew('k', 'node-a', LONG_TTL_MS)).toBe(true);
      await env.elapse(env.shortTtlMs * 2);
      expect(await env.b.acquire('k', 'node-b', LONG_TTL_MS)).toBe(false);
      expect(await env.b.owner('k')).toBe('node-a');
    });

    it('R-LEA-7: empty owners and non-positive TTLs are refused', async () => {
      await expect(env.a.acquire('k', '', LONG_TTL_MS)).rejects.toThrow(RangeError);
      await expect(env.a.acquire('k', 'node-a', 0)).rejects.toThrow(RangeError);
      await expect(env.a.renew('k', 'node-a', -5)).rejects.toThrow(RangeError);
      expect(await env.a.owner('k')).toBeNull();
    });
  });
}
