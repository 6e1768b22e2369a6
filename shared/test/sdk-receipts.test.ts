import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TYPING_REFRESH_MS, TYPING_TIMEOUT_MS } from '../src/protocol/packets';
import type { ChatMessage } from '../src/sdk/chat-sync';
import { type ReceiptEvents, ReceiptsApi, type ReceiptsPort } from '../src/sdk/receipts';

/** A fake client: records requests, lets the test push events and messages. */
function fakePort() {
  const sent: Array<{ name: string; params: unknown }> = [];
  const typingEvents: ReceiptEvents['typing'][] = [];
  let onTyping: ((b: { conv: string; from: number; active: boolean }) => void) | null = null;
  let onMessage: ((m: ChatMessage) => void) | null = null;
  const port: ReceiptsPort = {
    request: (name, params) => {
      sent.push({ name, params });
      return Promise.resolve({} as never);
    },
    online: () => true,
    onEvent: (_name, fn) => {
      onTyping = fn as typeof onTyping;
    },
    onMessage: (fn) => {
      onMessage = fn;
    },
    emit: (_name, value) => {
      typingEvents.push(value);
    },
  };
  return {
    port,
    sent,
    typingEvents,
    typing: (b: { conv: string; from: number; active: boolean }) => onTyping?.(b),
    message: (m: Partial<ChatMessage> & { conv: string; seq: number; from: number }) =>
      onMessage?.({ messageId: '1', text: 'x', atMs: 0, own: false, ...m }),
  };
}

describe('SDK receipts and typing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('R-TYP-3: another user’s typing shows until TYPING_TIMEOUT_MS without a refresh, or until they stop or their message arrives', () => {
    const f = fakePort();
    const api = new ReceiptsApi(f.port);
    f.typing({ conv: 'd:1:2', from: 2, active: true });
    expect(api.typers('d:1:2')).toEqual([2]);
    vi.advanceTimersByTime(TYPING_TIMEOUT_MS - 100);
    f.typing({ conv: 'd:1:2', from: 2, active: true }); // a refresh restarts the clock
    vi.advanceTimersByTime(TYPING_TIMEOUT_MS - 100);
    expect(api.typers('d:1:2')).toEqual([2]);
    vi.advanceTimersByTime(200);
    expect(api.typers('d:1:2')).toEqual([]);
    f.typing({ conv: 'g:7', from: 3, active: true });
    f.message({ conv: 'g:7', seq: 4, from: 3 });
    expect(api.typers('g:7')).toEqual([]);
    f.typing({ conv: 'g:7', from: 3, active: true });
    f.typing({ conv: 'g:7', from: 3, active: false });
    expect(api.typers('g:7')).toEqual([]);
    expect(f.typingEvents).toEqual([
      { conv: 'd:1:2', userIds: [2] },
      { conv: 'd:1:2', userIds: [] },
      { conv: 'g:7', userIds: [3] },
      { conv: 'g:7', userIds: [] },
      { conv: 'g:7', userIds: [3] },
      { conv: 'g:7', userIds: [] },
    ]);
  });

  it('R-TYP-3: own typing is sent once per TYPING_REFRESH_MS while input continues and stopped after a pause', () => {
    const f = fakePort();
    const api = new ReceiptsApi(f.port, { typingIdleMs: 4000 });
    const t0 = Date.now();
    api.input('d:1:2', t0);
    api.input('d:1:2', t0 + 500);
    api.input('d:1:2', t0 + TYPING_REFRESH_MS + 1);
    expect(f.sent.map((s) => s.params)).toEqual([
      { conv: 'd:1:2', active: true },
      { conv: 'd:1:2', active: true },
    ]);
    vi.advanceTimersByTime(4000);
    expect(f.sent.at(-1)?.params).toEqual({ conv: 'd:1:2', active: false });
    api.input('d:1:2');
    api.stopTyping('d:1:2');
    api.stopTyping('d:1:2'); // already stopped: nothing more
    expect(f.sent.slice(-2).map((s) => s.params)).toEqual([
      { conv: 'd:1:2', active: true },
      { conv: 'd:1:2', active: false },
    ]);
  });

  it('R-RCP-1: the SDK sends one delivered receipt per direct conversation for a burst of others’ messages', () => {
    const f = fakePort();
    new ReceiptsApi(f.port, { deliveredDelayMs: 100 });
    f.message({ conv: 'd:1:2', seq: 3, from: 2 });
    f.message({ conv: 'd:1:2', seq: 5, from: 2 });
    f.message({ conv: 'd:1:2', seq: 6, from: 1, own: true });
    f.message({ conv: 'g:9', seq: 1, from: 2 });
    vi.advanceTimersByTime(100);
    expect(f.sent).toEqual([{ name: 'chat.delivered', params: { conv: 'd:1:2', seq: 5 } }]);
  });
});
