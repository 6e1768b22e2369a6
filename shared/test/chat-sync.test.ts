import { describe, expect, it } from 'vitest';
import type { EventBody, ParamsIn, RequestName, Result } from '../src/protocol/packets';
import { type ChatEvents, type ChatMessage, type ChatPort, ChatSync } from '../src/sdk/chat-sync';
import { ImError } from '../src/sdk/errors';

type Stored = { conv: string; seq: number; from: number; text: string; clientId?: string };

/** A fake server: a conversation log, history paging like the real one, recorded requests. */
class FakePort implements ChatPort {
  readonly log = new Map<string, Stored[]>();
  readonly requests: { name: string; params: unknown }[] = [];
  readonly emitted: ChatMessage[] = [];
  readonly syncs: ChatEvents['sync'][] = [];
  private readonly handlers = new Map<string, (b: unknown) => void>();
  failNext: string | null = null;
  me = 1;

  add(conv: string, from: number, text: string): Stored {
    const list = this.log.get(conv) ?? [];
    const m = { conv, seq: list.length + 1, from, text };
    list.push(m);
    this.log.set(conv, list);
    return m;
  }

  push(m: Stored): void {
    this.handlers.get('chat.message')?.({
      messageId: `id${m.conv}${m.seq}`,
      conv: m.conv,
      seq: m.seq,
      from: m.from,
      to: this.me,
      text: m.text,
      atMs: 1,
    });
  }

  /** Runs right after a send's ack is read, before its promise settles: the rest of the frame. */
  afterAck: (() => void) | null = null;

  async request<K extends RequestName>(
    name: K,
    params: ParamsIn<K>,
    onResult?: (r: Result<K>) => void,
  ): Promise<Result<K>> {
    const r = await this.answer(name, params);
    // As the client reads a frame: the result's record, then the records after it, then the
    // promise's continuations.
    onResult?.(r);
    if (name === 'chat.send') this.afterAck?.();
    return r;
  }

  private async answer<K extends RequestName>(name: K, params: ParamsIn<K>): Promise<Result<K>> {
    this.requests.push({ name, params });
    await Promise.resolve();
    if (this.failNext === name) {
      this.failNext = null;
      throw new ImError('DISCONNECTED', 'connection closed');
    }
    if (name === 'chat.history') {
      const q = params as ParamsIn<'chat.history'>;
      const all = (this.log.get(q.conv) ?? []).filter(
        (m) => m.seq > (q.afterSeq ?? 0) && (q.beforeSeq === undefined || m.seq < q.beforeSeq),
      );
      const limit = q.limit ?? 50;
      const page = q.afterSeq !== undefined ? all.slice(0, limit) : all.slice(-limit);
      return {
        messages: page.map((m) => ({ messageId: `id${m.conv}${m.seq}`, atMs: 1, ...m })),
        more: all.length > limit,
      } as Result<K>;
    }
    if (name === 'chat.sync') {
      const conversations = [...this.log].map(([conv, list]) => ({
        conv,
        lastSeq: list.length,
        readSeq: 0,
        unread: list.length,
        lastAtMs: 1,
      }));
      return { conversations, more: false } as Result<K>;
    }
    if (name === 'chat.send') {
      const p = params as ParamsIn<'chat.send'>;
      const conv = `d:${this.me}:${p.to}`;
      const dup = (this.log.get(conv) ?? []).find((m) => m.clientId && m.clientId === p.clientId);
      const m = dup ?? { ...this.add(conv, this.me, p.text), clientId: p.clientId };
      if (!dup) (this.log.get(conv) ?? [])[m.seq - 1] = m;
      return { messageId: `id${conv}${m.seq}`, conv, seq: m.seq, atMs: 1 } as Result<K>;
    }
    throw new Error(`unexpected ${name}`);
  }

  onEvent<K extends 'chat.message' | 'chat.groupMessage' | 'chat.read'>(
    name: K,
    fn: (body: EventBody<K>) => void,
  ): void {
    this.handlers.set(name, fn as (b: unknown) => void);
  }

  emit<K extends keyof ChatEvents>(name: K, value: ChatEvents[K]): void {
    if (name === 'message') this.emitted.push(value as ChatMessage);
    if (name === 'sync') this.syncs.push(value as ChatEvents['sync']);
  }

  userId(): number {
    return this.me;
  }

  seqs(conv: string): number[] {
    return this.emitted.filter((m) => m.conv === conv).map((m) => m.seq);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const CONV = 'd:1:2';

describe('SDK durable messages (fake transport)', () => {
  it('R-SDK-2: a push past cursor + 1 fetches the gap from history and emits everything in order', async () => {
    const port = new FakePort();
    const chat = new ChatSync(port, { autoSync: false });
    chat.sessionStarted();
    const m1 = port.add(CONV, 2, 'one');
    port.push(m1);
    port.add(CONV, 2, 'two (push lost)');
    port.add(CONV, 2, 'three (push lost)');
    const m4 = port.add(CONV, 2, 'four');
    port.push(m4);
    await settle();
    expect(port.seqs(CONV)).toEqual([1, 2, 3, 4]);
    expect(port.emitted.map((m) => m.text)).toEqual(['one', 'two (push lost)', 'three (push lost)', 'four']);
    const fills = port.requests.filter((r) => r.name === 'chat.history');
    expect(fills).toEqual([
      { name: 'chat.history', params: { conv: CONV, afterSeq: 1, beforeSeq: 4, limit: 200 } },
    ]);
    expect(chat.cursor(CONV)).toBe(4);
  });

  it('R-SDK-2: an ack and a push of the next message read from one frame: in order, no gap fill', async () => {
    const port = new FakePort();
    const chat = new ChatSync(port, { autoSync: false });
    chat.sessionStarted();
    // The server acks a stored batch together: the friend's reply (seq 2) follows our ack (seq 1)
    // in the same frame, so its push is read before the send's promise settles.
    port.afterAck = () => port.push(port.add(CONV, 2, 'reply'));
    await chat.send(2, 'mine');
    await settle();
    expect(port.emitted.map((m) => [m.seq, m.text, m.own])).toEqual([
      [1, 'mine', true],
      [2, 'reply', false],
    ]);
    expect(port.requests.filter((r) => r.name === 'chat.history')).toEqual([]);
  });

  it('R-SDK-2: duplicate pushes and pushes already fetched are dropped', async () => {
    const port = new FakePort();
    new ChatSync(port, { autoSync: false }).sessionStarted();
    const m1 = port.add(CONV, 2, 'a');
    const m2 = port.add(CONV, 2, 'b');
    port.push(m2); // seq 2 first: fills seq 1 from history
    port.push(m1); // late duplicate of what the fill emitted
    port.push(m2);
    await settle();
    expect(port.seqs(CONV)).toEqual([1, 2]);
  });

  it('R-SDK-2: a failed gap fill emits nothing out of order; the next push fills from the same cursor', async () => {
    const port = new FakePort();
    new ChatSync(port, { autoSync: false }).sessionStarted();
    port.push(port.add(CONV, 2, 'a'));
    await settle();
    port.add(CONV, 2, 'lost');
    const m3 = port.add(CONV, 2, 'c');
    port.failNext = 'chat.history';
    port.push(m3);
    await settle();
    expect(port.seqs(CONV)).toEqual([1]);
    port.push(port.add(CONV, 2, 'd'));
    await settle();
    expect(port.seqs(CONV)).toEqual([1, 2, 3, 4]);
  });

  it('R-SDK-1: catch-up emits the summaries and pages every conversation after its cursor, in order', async () => {
    const port = new FakePort();
    const chat = new ChatSync(port, { pageSize: 2 });
    for (let i = 1; i <= 5; i++) port.add(CONV, 2, `m${i}`);
    port.add('g:7', 3, 'group one');
    chat.sessionStarted(); // what the client calls after a login or resume
    await settle();
    await settle();
    expect(port.syncs).toHaveLength(1);
    expect(port.seqs(CONV)).toEqual([1, 2, 3, 4, 5]);
    expect(port.seqs('g:7')).toEqual([1]);
    const pages = port.requests.filter(
      (r) => r.name === 'chat.history' && (r.params as { conv: string }).conv === CONV,
    );
    expect(pages.map((p) => (p.params as { afterSeq: number }).afterSeq)).toEqual([0, 2, 4]);
    // A second catch-up (after a resume) fetches only what is new.
    port.add(CONV, 2, 'm6');
    await chat.catchUp();
    await settle();
    expect(port.seqs(CONV)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('R-SDK-3: a send that loses its connection is resent with the same clientId after the next session', async () => {
    const port = new FakePort();
    const chat = new ChatSync(port, { autoSync: false });
    chat.sessionStarted();
    port.failNext = 'chat.send';
    const sent = chat.send(2, 'hello');
    await settle();
    chat.sessionStopped();
    chat.sessionStarted();
    const ack = await sent;
    const sends = port.requests.filter((r) => r.name === 'chat.send').map((r) => r.params);
    expect(sends).toHaveLength(2);
    expect((sends[0] as { clientId: string }).clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(sends[1]).toEqual(sends[0]);
    expect(ack).toMatchObject({ conv: CONV, seq: 1 });
    await settle();
    expect(port.emitted).toMatchObject([{ conv: CONV, seq: 1, own: true, text: 'hello' }]);
  });

  it('R-SDK-3: an app retry with the first clientId gets the original ack and stores nothing twice', async () => {
    const port = new FakePort();
    const chat = new ChatSync(port, { autoSync: false });
    chat.sessionStarted();
    const first = await chat.send(2, 'hello', 'retry-me_1');
    const again = await chat.send(2, 'hello', 'retry-me_1');
    expect(again).toEqual(first);
    expect(port.log.get(CONV)).toHaveLength(1);
    const sends = port.requests.filter((r) => r.name === 'chat.send').map((r) => r.params);
    expect(sends).toEqual([
      { to: 2, text: 'hello', clientId: 'retry-me_1' },
      { to: 2, text: 'hello', clientId: 'retry-me_1' },
    ]);
    await settle();
    expect(port.emitted.map((m) => m.seq)).toEqual([1]);
  });

  it('R-SDK-2: no request leaves while the client has no session (a reconnect re-keying the socket)', async () => {
    const port = new FakePort();
    const chat = new ChatSync(port, { autoSync: false });
    chat.sessionStarted();
    port.push(port.add(CONV, 2, 'a'));
    await settle();
    chat.sessionStopped();
    port.add(CONV, 2, 'lost');
    port.push(port.add(CONV, 2, 'c')); // a push that raced the drop: its gap is not fetched now
    await settle();
    expect(port.requests).toEqual([]);
    expect(port.seqs(CONV)).toEqual([1]);
    chat.sessionStarted(); // resumed: the next push (or the catch-up) fills from the cursor
    port.push(port.add(CONV, 2, 'd'));
    await settle();
    expect(port.seqs(CONV)).toEqual([1, 2, 3, 4]);
  });

  it('R-SDK-3: a send waiting for a session fails when the session is lost for good', async () => {
    const port = new FakePort();
    const chat = new ChatSync(port, { autoSync: false });
    chat.sessionStarted();
    port.failNext = 'chat.send';
    const sent = chat.send(2, 'hello');
    await settle();
    chat.sessionLost();
    await expect(sent).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });
});
