import { describe, expect, it } from 'vitest';
import {
  FrameError,
  type FrameReceiver,
  type OpenedFrame,
  openFrame,
  PROTOCOL_VERSION,
  randomBytes,
  readHeader,
  SubtleGcm,
  sealFrame,
  type WireRecord,
} from '../src';
import { NodeGcm } from '../src/sdk/node';

const records: WireRecord[] = [
  { typeId: 7, requestId: 1, payload: new Uint8Array([1, 2, 3]) },
  { typeId: 9, requestId: 0, payload: new Uint8Array(0) },
];

/** Node's cipher hands back Buffers: compare payload bytes, not their class. */
const plainRecords = records.map((r) => ({ ...r, payload: [...r.payload] }));
const plain = (o: OpenedFrame) =>
  o.ok ? { ok: true, records: o.records.map((r) => ({ ...r, payload: [...r.payload] })) } : o;

/** One frame format on both sides: the gateway's sync node:crypto cipher and the browser's WebCrypto. */
describe('sealFrame / openFrame', () => {
  it('a frame sealed by either cipher opens with the other, header authenticated, counter advanced', async () => {
    const key = randomBytes(32);
    const node = new NodeGcm(key);
    const subtle = await SubtleGcm.create(key);

    const syncFrame = sealFrame(node, 0, records);
    expect(syncFrame[0]).toBe(PROTOCOL_VERSION);
    const asyncRx: FrameReceiver = { cipher: subtle, counter: 0 };
    expect(plain(await openFrame(readHeader(syncFrame), asyncRx))).toEqual({
      ok: true,
      records: plainRecords,
    });
    expect(asyncRx.counter).toBe(1);

    const asyncFrame = await sealFrame(subtle, 0, records);
    const syncRx = { cipher: node, counter: 0 };
    expect(plain(openFrame(readHeader(asyncFrame), syncRx))).toEqual({ ok: true, records: plainRecords });
    expect(asyncFrame).toEqual(syncFrame);
  });

  it("the gateway's one-buffer seal is byte for byte the header followed by seal()", () => {
    const node = new NodeGcm(randomBytes(32));
    const withoutFastPath = { seal: node.seal.bind(node), open: node.open.bind(node) };
    for (const counter of [0, 1, 2 ** 31 + 5]) {
      const frame = sealFrame(node, counter, records);
      expect(frame).toEqual(sealFrame(withoutFastPath, counter, records));
      expect(frame).not.toBeInstanceOf(Buffer); // slice() copies, as callers expect
      expect(plain(openFrame(readHeader(frame), { cipher: node, counter }))).toEqual({
        ok: true,
        records: plainRecords,
      });
    }
  });

  it('a wrong counter is a replay; a flipped bit in the header or the body fails authentication; neither advances', async () => {
    const node = new NodeGcm(randomBytes(32));
    const frame = sealFrame(node, 3, records);
    const rx = { cipher: node, counter: 2 };
    expect(openFrame(readHeader(frame), rx)).toEqual({ ok: false, fault: 'replay' });
    // The header is additional data: a frame re-labelled with the counter the receiver expects fails.
    const relabelled = frame.slice();
    relabelled[5] = 2;
    expect(openFrame(readHeader(relabelled), rx)).toEqual({ ok: false, fault: 'decrypt' });
    rx.counter = 3;
    const body = frame.slice();
    body[8]! ^= 1;
    expect(openFrame(readHeader(body), rx)).toEqual({ ok: false, fault: 'decrypt' });
    // An async cipher that rejects is a decrypt failure too.
    const subtleRx: FrameReceiver = { cipher: await SubtleGcm.create(randomBytes(32)), counter: 3 };
    expect(await openFrame(readHeader(frame), subtleRx)).toEqual({ ok: false, fault: 'decrypt' });
    expect([rx.counter, subtleRx.counter]).toEqual([3, 3]);
  });

  it('a frame whose tag verifies but whose records are malformed uses up its counter (FrameError)', () => {
    const node = new NodeGcm(randomBytes(32));
    const cipher = { seal: node.seal.bind(node), open: () => new Uint8Array([0, 1]) };
    const rx = { cipher, counter: 0 };
    expect(() => openFrame(readHeader(sealFrame(node, 0, records)), rx)).toThrow(FrameError);
    expect(rx.counter).toBe(1);
  });
});
