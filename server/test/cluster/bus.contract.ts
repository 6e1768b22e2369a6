import { pack, unpack } from '@imw/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Bus, type BusErrorReporter, ClusterError, type Unsubscribe } from '../../src/cluster';
import { bytes, Collector } from '../support/bus';

/** One "cluster" per test: every bus it makes is a separate node on the same backbone. */
export interface BusEnv {
  node(opts?: { onError?: BusErrorReporter }): Promise<Bus>;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every Bus implementation promises (rule IDs R-CLU-*). Node code is written
 * against this, so the in-process bus and Redis must be indistinguishable to it.
 */
export function busContract(name: string, makeEnv: () => Promise<BusEnv>): void {
  describe(`Bus contract: ${name}`, () => {
    let env: BusEnv;
    let a: Bus;
    let b: Bus;

    beforeEach(async () => {
      env = await makeEnv();
      a = await env.node();
      b = await env.node();
    });

    afterEach(async () => {
      await env.cleanup();
    });

    it('R-CLU-1: a message reaches every subscriber of the channel on every node, the publisher’s included', async () => {
      const [a1, a2, b1] = [new Collector(), new Collector(), new Collector()];
      await a.subscribe('room', a1.handler);
      await a.subscribe('room', a2.handler);
      await b.subscribe('room', b1.handler);

      await a.publish('room', bytes('from a'));
      await b.publish('room', bytes('from b'));

      await Promise.all([a1.waitForCount(2), a2.waitForCount(2), b1.waitForCount(2)]);
      for (const c of [a1, a2, b1]) expect(c.texts()).toEqual(['from a', 'from b']);
    });

    it('R-CLU-2: 1000 messages from one publisher arrive in publish order at every subscriber', async () => {
      const local = new Collector();
      const remote = new Collector();
      await a.subscribe('seq', local.handler);
      await b.subscribe('seq', remote.handler);
      const count = 1000;
      // Not awaited one by one: order must hold for publishes that are in flight together.
      const sends: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const payload = new Uint8Array(4);
        new DataView(payload.buffer).setUint32(0, i);
        sends.push(a.publish('seq', payload));
      }
      await Promise.all(sends);
      await Promise.all([local.waitForCount(count), remote.waitForCount(count)]);
      for (const c of [local, remote]) {
        const seq = c.received.map((p) => new DataView(p.buffer, p.byteOffset, p.byteLength).getUint32(0));
        expect(seq).toEqual(Array.from({ length: count }, (_, i) => i));
      }
    });

    it('R-CLU-3: payload bytes round-trip exactly (empty, zero bytes, all 256 values, non-UTF-8, views)', async () => {
      const got = new Collector();
      await b.subscribe('bin', got.handler);
      const backing = new Uint8Array([9, 9, 0, 1, 0, 9, 9]);
      const big = new Uint8Array(64 * 1024).map((_, i) => (i * 7919) % 256);
      const payloads = [
        new Uint8Array(0),
        new Uint8Array([0]),
        new Uint8Array([0, 0, 0, 0]),
        Uint8Array.from({ length: 256 }, (_, i) => i),
        new Uint8Array([0xc3, 0x28, 0xff, 0xfe, 0x00]),
        // A view into a larger buffer: only the viewed bytes may travel.
        backing.subarray(2, 5),
        Buffer.from([0, 1, 2]),
        pack({ text: 'héllo\u0000world', n: 42, nested: [1, null, true] }),
        big,
      ];
      for (const p of payloads) await a.publish('bin', p);
      await got.waitForCount(payloads.length);

      // Compared as hex strings: a failing toEqual on 64 KiB arrays takes minutes to diff.
      const hex = (p: Uint8Array) => Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString('hex');
      expect(got.received.map((p) => p.byteLength)).toEqual(payloads.map((p) => p.byteLength));
      got.received.forEach((p, i) => {
        expect(hex(p) === hex(payloads[i]!), `payload ${i} differs`).toBe(true);
        expect(p).toBeInstanceOf(Uint8Array);
      });
      expect(unpack(got.received[7]!)).toEqual({ text: 'héllo\u0000world', n: 42, nested: [1, null, true] });
    });

    it('R-CLU-3: the publisher may reuse its buffer as soon as publish() returns', async () => {
      const got = new Collector();
      await b.subscribe('reuse', got.handler);
      const buffer = new Uint8Array([1, 2, 3]);
      const sent = a.publish('reuse', buffer);
      buffer.fill(0);
      await sent;
      await got.waitForCount(1);
      expect([...got.received[0]!]).toEqual([1, 2, 3]);
    });

    it('R-CLU-4: after unsubscribe resolves the handler receives nothing; other handlers keep receiving', async () => {
      const gone = new Collector();
      const stays = new Collector();
      const remote = new Collector();
      const unsubscribe = await b.subscribe('u', gone.handler);
      await b.subscribe('u', stays.handler);
      await a.subscribe('u', remote.handler);
      await a.publish('u', bytes('1'));
      await Promise.all([gone.waitForCount(1), stays.waitForCount(1)]);

      await unsubscribe();
      await unsubscribe(); // idempotent
      await a.publish('u', bytes('2'));
      // Both handlers of node b are served by one dispatch, so once `stays` has message 2,
      // `gone` would have had it too.
      await Promise.all([stays.waitForCount(2), remote.waitForCount(2)]);
      expect(gone.texts()).toEqual(['1']);
      expect(stays.texts()).toEqual(['1', '2']);
    });

    it('R-CLU-4: a handler unsubscribed during a delivery does not get that message', async () => {
      const order: string[] = [];
      const witness = new Collector();
      let unsubscribeLater: Unsubscribe | undefined;
      await b.subscribe('mid', (p) => {
        order.push(`first:${new TextDecoder().decode(p)}`);
        void unsubscribeLater?.();
      });
      unsubscribeLater = await b.subscribe('mid', (p) => order.push(`second:${new TextDecoder().decode(p)}`));
      await b.subscribe('mid', witness.handler);
      await a.publish('mid', bytes('m'));
      await witness.waitForCount(1);
      expect(order).toEqual(['first:m']);
    });

    it('R-CLU-4: a node that drops its last handler stops receiving, and can subscribe again', async () => {
      const first = new Collector();
      const witness = new Collector();
      await a.subscribe('again', witness.handler);
      const unsubscribe = await b.subscribe('again', first.handler);
      await unsubscribe();
      await a.publish('again', bytes('while away'));
      await witness.waitForCount(1);

      const second = new Collector();
      await b.subscribe('again', second.handler);
      await a.publish('again', bytes('back'));
      await second.waitForCount(1);
      expect(second.texts()).toEqual(['back']);
      expect(first.received).toHaveLength(0);
    });

    it('R-CLU-5: delivery is asynchronous: no handler runs inside publish()', async () => {
      let insidePublish = false;
      const seen: boolean[] = [];
      const got = new Collector();
      await a.subscribe('async', (p) => {
        seen.push(insidePublish);
        got.handler(p);
      });
      insidePublish = true;
      const sent = a.publish('async', bytes('x'));
      insidePublish = false;
      await sent;
      await got.waitForCount(1);
      expect(seen).toEqual([false]);
    });

    it('R-CLU-6: channels are isolated from each other', async () => {
      const onA = new Collector();
      const onB = new Collector();
      await b.subscribe('chan-a', onA.handler);
      await b.subscribe('chan-b', onB.handler);
      await a.publish('chan-b', bytes('for b'));
      await a.publish('chan-a', bytes('for a'));
      // Per-publisher order: by the time chan-a's message is in, chan-b's has been routed.
      await Promise.all([onA.waitForCount(1), onB.waitForCount(1)]);
      expect(onA.texts()).toEqual(['for a']);
      expect(onB.texts()).toEqual(['for b']);
    });

    it('R-CLU-7: a handler that throws is reported and does not stop delivery to others', async () => {
      const reported: { err: unknown; channel: string }[] = [];
      const c = await env.node({ onError: (err, channel) => reported.push({ err, channel }) });
      const ok = new Collector();
      await c.subscribe('boom', () => {
        throw new Error('handler failure');
      });
      await c.subscribe('boom', ok.handler);
      await a.publish('boom', bytes('1'));
      await a.publish('boom', bytes('2'));
      await ok.waitForCount(2);
      expect(ok.texts()).toEqual(['1', '2']);
      expect(reported).toEqual([
        { err: new Error('handler failure'), channel: 'boom' },
        { err: new Error('handler failure'), channel: 'boom' },
      ]);
    });

    it('R-CLU-8: a closed node rejects publish and subscribe with CLOSED and receives nothing', async () => {
      const closedHandler = new Collector();
      const live = new Collector();
      await b.subscribe('shut', closedHandler.handler);
      await a.subscribe('shut', live.handler);
      await b.close();
      await expect(b.publish('shut', bytes('x'))).rejects.toMatchObject({ code: 'CLOSED' });
      await expect(b.subscribe('shut', () => {})).rejects.toBeInstanceOf(ClusterError);
      await a.publish('shut', bytes('after close'));
      await live.waitForCount(1);
      expect(closedHandler.received).toHaveLength(0);
    });

    it('R-CLU-9: a publish after subscribe() resolves reaches the new handler (no warm-up)', async () => {
      for (let i = 0; i < 20; i++) {
        const got = new Collector();
        await b.subscribe(`fresh-${i}`, got.handler);
        await a.publish(`fresh-${i}`, bytes(String(i)));
        await got.waitForCount(1);
      }
    });
  });
}
