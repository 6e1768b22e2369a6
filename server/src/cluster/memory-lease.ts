import { assertOwner, assertPositiveTtl } from './errors';
import type { Clock, Lease } from './types';

interface Held {
  owner: string;
  expiresAtMs: number;
}

/** The single-node lease table; expiry is evaluated against the injected clock. */
export class MemoryLease implements Lease {
  private readonly held = new Map<string, Held>();

  constructor(private readonly now: Clock = Date.now) {}

  async acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    assertOwner(owner);
    assertPositiveTtl(ttlMs);
    const current = this.live(key);
    if (current && current.owner !== owner) return false;
    this.held.set(key, { owner, expiresAtMs: this.now() + ttlMs });
    return true;
  }

  async renew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    assertPositiveTtl(ttlMs);
    const current = this.live(key);
    if (!current || current.owner !== owner) return false;
    current.expiresAtMs = this.now() + ttlMs;
    return true;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.live(key)?.owner === owner) this.held.delete(key);
  }

  async owner(key: string): Promise<string | null> {
    return this.live(key)?.owner ?? null;
  }

  private live(key: string): Held | undefined {
    const current = this.held.get(key);
    if (current && this.now() >= current.expiresAtMs) {
      this.held.delete(key);
      return undefined;
    }
    return current;
  }
}
