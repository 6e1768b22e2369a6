import type { ImClient } from '@imw/shared/sdk';
import { type Msg, msg } from '../i18n';
import { Store } from './store';

export interface Notice {
  readonly id: string;
  readonly kind: 'system' | 'ad';
  readonly title: string | null;
  /** The operator's own words (shown as written), or a message of this app's (translated). */
  readonly text: string | Msg;
  readonly link: string | null;
  readonly atMs: number;
}

const MAX_NOTICES = 5;

/** Operator notices (`chat.system`, `chat.ad`): the newest few, until dismissed. */
export class NoticeStore extends Store<{ readonly notices: readonly Notice[] }> {
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly client: ImClient) {
    super({ notices: [] });
  }

  start(): void {
    if (this.unsubscribe.length > 0) return;
    this.unsubscribe = [
      // R-DEV-6: another device of this user entered the world; this one is back in chat.
      this.client.on('scene.takenOver', () =>
        this.add({
          id: `taken-over-${Date.now()}`,
          kind: 'system',
          title: null,
          text: msg('world:takenOver'),
          link: null,
          atMs: Date.now(),
        }),
      ),
      this.client.on('chat.system', (n) =>
        this.add({ id: n.messageId, kind: 'system', title: null, text: n.text, link: null, atMs: n.atMs }),
      ),
      // R-MOD-1: an operator's warning stays until dismissed, like a notice.
      this.client.on('account.warned', (n) =>
        this.add({
          id: `warned-${n.atMs}`,
          kind: 'system',
          title: null,
          text: msg('chat:warned', { text: n.text }),
          link: null,
          atMs: n.atMs,
        }),
      ),
      this.client.on('chat.ad', (n) =>
        this.add({
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

  dismiss(id: string): void {
    this.update((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  }

  private add(notice: Notice): void {
    this.update((s) =>
      s.notices.some((n) => n.id === notice.id)
        ? s
        : { notices: [notice, ...s.notices].slice(0, MAX_NOTICES) },
    );
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
