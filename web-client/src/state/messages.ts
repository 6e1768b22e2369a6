import type { FileInfo, HistoryMessage, ReactionSummary } from '@imw/shared';
/** One message of a conversation as the page shows it. */
export interface ChatMessage {
  /** React key: `m<messageId>` for a stored message, `c<clientId>` for one sent from this page. */
  readonly id: string;
  /** The conversation's sequence number once the server stored it (null: not stored, or peer-to-peer). */
  readonly seq: number | null;
  readonly clientId: string | null;
  /** null once the sender's account was deleted. */
  readonly from: number | null;
  readonly fromName: string;
  readonly text: string;
  readonly atMs: number;
  readonly own: boolean;
  readonly status: 'sending' | 'sent' | 'failed';
  /** 'direct' went over the peer-to-peer data channel; the server never saw it. */
  readonly via: 'server' | 'direct';
  /** R-GRP-32: a group's join or leave line about `from` (no text), not a message. */
  readonly event?: 'joined' | 'left' | 'missedCall' | undefined;
  /** #16: the attached file; while uploading, `upload` says how far (a failed upload keeps it for Retry). */
  readonly file?: FileInfo | undefined;
  readonly upload?: { readonly name: string; readonly loaded: number; readonly total: number } | undefined;
  readonly replyTo?: number | undefined;
  readonly quote?: HistoryMessage['quote'] | undefined;
  readonly recalled?: boolean | undefined;
  readonly reactions?: readonly ReactionSummary[] | undefined;
}

/**
 * Adds stored messages (pushed, fetched, acknowledged) to a list, by seq and once each: a seq the
 * list holds is skipped; one of this page's own sends (same clientId) is replaced in place, so a
 * bubble does not jump when its ack, its echo or a history page brings it back. Messages without
 * a seq (being sent, failed, peer-to-peer) keep the place they were added at.
 */
export function mergeStored(list: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  let out = [...list];
  for (const m of incoming) {
    if (m.seq === null) continue;
    if (out.some((x) => x.seq === m.seq)) continue;
    const local = m.clientId ? out.findIndex((x) => x.clientId === m.clientId) : -1;
    if (local >= 0) {
      const keep = out[local]!;
      out[local] = { ...m, id: keep.id };
      continue;
    }
    const after = out.findIndex((x) => x.seq !== null && x.seq > (m.seq ?? 0));
    out = after < 0 ? [...out, m] : [...out.slice(0, after), m, ...out.slice(after)];
  }
  return out;
}

/** The lowest stored seq held: older pages are fetched before it. */
export function oldestSeq(list: readonly ChatMessage[]): number | null {
  let min: number | null = null;
  for (const m of list) if (m.seq !== null && (min === null || m.seq < min)) min = m.seq;
  return min;
}

/** Messages from others after a read position among those held (for a partial read elsewhere). */
export function unreadAfter(list: readonly ChatMessage[], readSeq: number): number {
  return list.filter((m) => !m.own && !m.event && m.seq !== null && m.seq > readSeq).length;
}
