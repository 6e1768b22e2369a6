import type { ImClient } from '@imw/shared/sdk';
import { ImError } from '@imw/shared/sdk';
import { Store } from './store';

/** `f:<userId>` for a friend, `g:<groupId>` for a group. */
export type ConversationKey = `f:${number}` | `g:${number}`;

export const friendKey = (userId: number): ConversationKey => `f:${userId}`;
export const groupKey = (groupId: number): ConversationKey => `g:${groupId}`;

export function parseConversationKey(key: string): { kind: 'friend' | 'group'; id: number } | null {
  const m = /^([fg]):([1-9][0-9]{0,9})$/.exec(key);
  if (!m?.[1] || !m[2]) return null;
  return { kind: m[1] === 'f' ? 'friend' : 'group', id: Number(m[2]) };
}

export interface ChatMessage {
  /** The server's message id, or a local one until the server acknowledges it. */
  readonly id: string;
  readonly from: number;
  readonly fromName: string;
  readonly text: string;
  readonly atMs: number;
  readonly own: boolean;
  readonly status: 'sending' | 'sent' | 'failed';
  /** 'direct' went over the peer-to-peer data channel; the server never saw it. */
  readonly via: 'server' | 'direct';
}

export interface Conversation {
  readonly messages: readonly ChatMessage[];
  readonly unread: number;
}

export interface Notice {
  readonly id: string;
  readonly kind: 'system' | 'ad';
  readonly title: string | null;
  readonly text: string;
  readonly link: string | null;
  readonly atMs: number;
}

export interface ChatState {
  readonly conversations: ReadonlyMap<ConversationKey, Conversation>;
  readonly notices: readonly Notice[];
}

/** No history on the server yet, so this is the whole history: bounded to keep memory flat. */
const MAX_MESSAGES_PER_CONVERSATION = 500;
const MAX_NOTICES = 5;
const EMPTY: Conversation = { messages: [], unread: 0 };

let localIds = 0;
const nextLocalId = () => `local-${++localIds}`;

/**
 * Conversations with friends and groups, unread counts, and operator notices. Sending is
 * optimistic: the message shows at once as "sending" and the composer is free again; a message
 * to someone who is no longer a friend gets no answer from the server (the stranger rule), so it
 * turns "failed" when the request times out instead of holding anything up.
 */
export class ChatStore extends Store<ChatState> {
  private unsubscribe: (() => void)[] = [];
  /** The conversation on screen: its messages are read as they arrive. */
  private active: ConversationKey | null = null;

  constructor(
    private readonly client: ImClient,
    private readonly me: { userId: number; displayName: () => string },
  ) {
    super({ conversations: new Map(), notices: [] });
  }

  start(): void {
    if (this.unsubscribe.length > 0) return;
    const on = this.client.on.bind(this.client);
    this.unsubscribe = [
      on('chat.message', (m) => {
        const other = m.from === this.me.userId ? m.to : m.from;
        this.append(friendKey(other), {
          id: m.messageId,
          from: m.from,
          fromName: '',
          text: m.text,
          atMs: m.atMs,
          own: m.from === this.me.userId,
          status: 'sent',
          via: 'server',
        });
      }),
      on('chat.groupMessage', (m) =>
        this.append(groupKey(m.groupId), {
          id: m.messageId,
          from: m.from,
          fromName: m.fromName,
          text: m.text,
          atMs: m.atMs,
          own: m.from === this.me.userId,
          status: 'sent',
          via: 'server',
        }),
      ),
      // R-DEV-6: another device of this user entered the world; this one is back in chat.
      on('scene.takenOver', () =>
        this.addNotice({
          id: `taken-over-${Date.now()}`,
          kind: 'system',
          title: null,
          text: 'Your avatar moved to another of your devices. You are back in chat here.',
          link: null,
          atMs: Date.now(),
        }),
      ),
      on('chat.system', (n) =>
        this.addNotice({
          id: n.messageId,
          kind: 'system',
          title: null,
          text: n.text,
          link: null,
          atMs: n.atMs,
        }),
      ),
      on('chat.ad', (n) =>
        this.addNotice({
          id: n.messageId,
          kind: 'ad',
          title: n.title,
          text: n.text,
          link: safeLink(n.link),
          atMs: n.atMs,
        }),
      ),
    ];
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  conversation(key: ConversationKey): Conversation {
    return this.current.conversations.get(key) ?? EMPTY;
  }

  /** The conversation now on screen (null when none): it never counts unread messages. */
  setActive(key: ConversationKey | null): void {
    this.active = key;
    if (key) this.markRead(key);
  }

  markRead(key: ConversationKey): void {
    this.patch(key, (c) => (c.unread === 0 ? c : { ...c, unread: 0 }));
  }

  /** Sends through the server. Resolves when the outcome is known; never rejects. */
  async send(key: ConversationKey, text: string): Promise<void> {
    const parsed = parseConversationKey(key);
    if (!parsed) return;
    const localId = nextLocalId();
    this.append(key, {
      id: localId,
      from: this.me.userId,
      fromName: this.me.displayName(),
      text,
      atMs: Date.now(),
      own: true,
      status: 'sending',
      via: 'server',
    });
    try {
      const ack =
        parsed.kind === 'friend'
          ? await this.client.request('chat.send', { to: parsed.id, text })
          : await this.client.request('chat.sendGroup', { groupId: parsed.id, text });
      this.replace(key, localId, (m) => ({ ...m, id: ack.messageId, atMs: ack.atMs, status: 'sent' }));
    } catch (e) {
      if (!(e instanceof ImError)) console.error(e);
      this.replace(key, localId, (m) => ({ ...m, status: 'failed' }));
    }
  }

  /** A message that went over the peer-to-peer data channel (either way). */
  addDirect(friendId: number, message: { id: string; text: string; atMs: number; own: boolean }): void {
    this.append(friendKey(friendId), {
      id: `p2p-${message.own ? 'out' : 'in'}-${message.id}`,
      from: message.own ? this.me.userId : friendId,
      fromName: message.own ? this.me.displayName() : '',
      text: message.text,
      atMs: message.atMs,
      own: message.own,
      status: 'sent',
      via: 'direct',
    });
  }

  dismissNotice(id: string): void {
    this.update((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) }));
  }

  private addNotice(notice: Notice): void {
    this.update((s) =>
      s.notices.some((n) => n.id === notice.id)
        ? s
        : { ...s, notices: [notice, ...s.notices].slice(0, MAX_NOTICES) },
    );
  }

  private append(key: ConversationKey, message: ChatMessage): void {
    this.patch(key, (c) => {
      if (message.status === 'sent' && c.messages.some((m) => m.id === message.id)) return c;
      const messages = [...c.messages, message].slice(-MAX_MESSAGES_PER_CONVERSATION);
      const unread = message.own || key === this.active ? c.unread : c.unread + 1;
      return { messages, unread };
    });
  }

  private replace(key: ConversationKey, id: string, fn: (m: ChatMessage) => ChatMessage): void {
    this.patch(key, (c) =>
      c.messages.some((m) => m.id === id)
        ? { ...c, messages: c.messages.map((m) => (m.id === id ? fn(m) : m)) }
        : c,
    );
  }

  private patch(key: ConversationKey, fn: (c: Conversation) => Conversation): void {
    this.update((s) => {
      const before = s.conversations.get(key) ?? EMPTY;
      const after = fn(before);
      if (after === before) return s;
      const conversations = new Map(s.conversations);
      conversations.set(key, after);
      return { ...s, conversations };
    });
  }
}

/** Only http(s) links become anchors; anything else is shown as text or not at all. */
function safeLink(link: string | undefined): string | null {
  if (!link) return null;
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
