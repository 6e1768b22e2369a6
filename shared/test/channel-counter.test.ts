import { describe, expect, it } from 'vitest';
import { encodeRecords, PROTOCOL_VERSION, type WireRecord, writeHeader } from '../src/protocol';
import { ChannelError, ClientChannel, type DirectionCipher } from '../src/sdk/channel';

/** A cipher that does nothing: the counter logic is what is under test. */
const identity: DirectionCipher = { seal: (_c, _a, p) => p, open: (_c, _a, s) => s };
// 16 bytes of payload: an encrypted frame must be at least as long as a GCM tag.
const record: WireRecord = { typeId: 1, requestId: 1, payload: new Uint8Array(16) };

function channel(limit: number) {
  const written: Uint8Array[] = [];
  const errors: ChannelError[] = [];
  const records: WireRecord[][] = [];
  const ch = new ClientChannel(
    (f) => written.push(f),
    (r) => records.push(r),
    (e) => errors.push(e),
    limit,
  );
  ch.setSendCipher(identity);
  ch.setReceiveCipher(identity);
  return { ch, written, errors, records };
}

/** L9 of the December review: the SDK's nonce counter wrapped to 0 (a reused GCM nonce). */
describe('SDK frame counter limit (R-SEC-22)', () => {
  it('R-SEC-22: the SDK seals no frame at the limit; it reports `exhausted` so the client resumes with fresh keys', async () => {
    const { ch, written, errors } = channel(3);
    for (let i = 0; i < 3; i++) await ch.send([record]);
    expect(written).toHaveLength(3);
    await expect(ch.send([record])).rejects.toBeInstanceOf(ChannelError);
    expect(written).toHaveLength(3);
    expect(errors.map((e) => e.kind)).toEqual(['exhausted']);
  });

  it('R-SEC-22: a frame received with the counter at the limit is not opened', async () => {
    const { ch, errors, records } = channel(1);
    const frame = (counter: number) => {
      const body = encodeRecords([record]);
      return new Uint8Array([...writeHeader(PROTOCOL_VERSION, true, counter), ...body]);
    };
    ch.receive(frame(0));
    ch.receive(frame(1));
    await ch.drained();
    expect(records).toHaveLength(1);
    expect(errors.map((e) => e.kind)).toEqual(['exhausted']);
  });
});
