import { describe, expect, it } from 'vitest';
import { encodeEvent, pack, parseServerRecord } from '../src';

/** The SDK's load-generator option (ClientOptions.unchecked): only the listed events skip their schema. */
describe('parseServerRecord with unchecked events', () => {
  const body = {
    messageId: '1',
    conv: 'g:1',
    seq: 1,
    groupId: 1,
    from: 2,
    fromName: 'b',
    text: 'hi',
    atMs: 5,
  };

  it('a listed event is taken as decoded; the same body is still checked for everyone else', () => {
    const rec = encodeEvent('chat.groupMessage', body);
    const unchecked = new Set(['chat.groupMessage'] as const);
    expect(parseServerRecord(rec, unchecked)).toEqual({
      ok: true,
      value: { kind: 'event', event: { type: 'chat.groupMessage', body } },
    });
    // A body the schema refuses passes only where the caller said it trusts the server.
    const bad = { typeId: rec.typeId, requestId: 0, payload: pack({ ...body, seq: 'x' }) };
    expect(parseServerRecord(bad, unchecked).ok).toBe(true);
    expect(parseServerRecord(bad).ok).toBe(false);
    expect(parseServerRecord(bad, new Set(['chat.message'] as const)).ok).toBe(false);
  });

  it('a payload that is not even a map is refused whatever the caller trusts', () => {
    const rec = encodeEvent('chat.groupMessage', body);
    const notAMap = { typeId: rec.typeId, requestId: 0, payload: pack(7) };
    expect(parseServerRecord(notAMap, new Set(['chat.groupMessage'] as const)).ok).toBe(false);
  });
});
