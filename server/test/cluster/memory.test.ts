import { describe, expect, it } from 'vitest';
import { type Bus, MemoryBroker, MemoryBus, MemoryLease, MemoryNodeRegistry } from '../../src/cluster';
import { bytes, Collector } from '../support/bus';
import { busContract } from './bus.contract';
import { leaseContract } from './lease.contract';
import { nodeInfo, registryContract } from './registry.contract';

/** A clock the test moves by hand, so TTLs expire without waiting. */
function manualClock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

busContract('MemoryBus', async () => {
  const broker = new MemoryBroker();
  const buses: Bus[] = [];
  return {
    async node(opts = {}) {
      const bus = new MemoryBus({ broker, ...opts });
      buses.push(bus);
      return bus;
    },
    async cleanup() {
      await Promise.all(buses.map((b) => b.close()));
    },
  };
});

registryContract('MemoryNodeRegistry', async () => {
  const clock = manualClock();
  const registry = new MemoryNodeRegistry(clock.now);
  return {
    a: registry,
    b: registry,
    shortTtlMs: 1_000,
    elapse: async (ms) => clock.advance(ms),
    cleanup: async () => {},
  };
});

leaseContract('MemoryLease', async () => {
  const clock = manualClock();
  const lease = new MemoryLease(clock.now);
  return {
    a: lease,
    b: lease,
    shortTtlMs: 1_000,
    elapse: async (ms) => clock.advance(ms),
    cleanup: async () => {},
  };
});

// With a hand-driven clock the memory versions can pin the exact boundary, which the
// real-time Redis runs can only bracket.
describe('in-memory TTL boundaries', () => {
  it('R-REG-3: an entry is live until exactly ttlMs after the announce', async () => {
    const clock = manualClock();
    const registry = new MemoryNodeRegistry(clock.now);
    await registry.announce(nodeInfo('n'), 500);
    clock.advance(499);
    expect(await registry.list()).toHaveLength(1);
    clock.advance(1);
    expect(await registry.list()).toHaveLength(0);
  });

  it('R-LEA-4: a lease is held until exactly ttlMs after acquire', async () => {
    const clock = manualClock();
    const lease = new MemoryLease(clock.now);
    await lease.acquire('k', 'a', 500);
    clock.advance(499);
    expect(await lease.owner('k')).toBe('a');
    clock.advance(1);
    expect(await lease.owner('k')).toBeNull();
  });
});

describe('MemoryBus without a shared broker', () => {
  it('R-CLU-1: each bus is its own single-node world', async () => {
    const one = new MemoryBus();
    const other = new MemoryBus();
    const mine = new Collector();
    const theirs = new Collector();
    await one.subscribe('c', mine.handler);
    await other.subscribe('c', theirs.handler);
    await one.publish('c', bytes('x'));
    await mine.waitForCount(1);
    expect(theirs.received).toHaveLength(0);
    await Promise.all([one.close(), other.close()]);
  });
});
