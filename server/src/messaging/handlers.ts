import { CloseCode, ErrorCode } from '@imw/shared';
import { AppError, type HandlerMap, type RequestContext, type RequestCosts, requireSession } from '../core';
import type { Conversations } from './conversations';
import type { Receipts } from './receipts';
import { type MessagingService, RateExceeded, type Sender } from './service';

/**
 * Over the limit: a RATE_LIMITED answer; sustained abuse: the connection is closed (R-MSG-7).
 */
async function limited<T>(ctx: RequestContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof RateExceeded)) throw err;
    if (err.abusive) ctx.connection.closeAfterResponse(CloseCode.RATE_LIMITED, 'rate limited');
    throw new AppError(ErrorCode.RATE_LIMITED, 'too many messages; slow down', {
      retryAfterMs: err.retryAfterMs,
    });
  }
}

type Names =
  | 'chat.send'
  | 'chat.sendGroup'
  | 'chat.sync'
  | 'chat.history'
  | 'chat.read'
  | 'chat.delivered'
  | 'chat.receipts'
  | 'chat.typing'
  | 'rtc.iceServers'
  | 'rtc.signal';

/**
 * R-LIM-16: chat and signalling are checked from memory (cached friend and member sets). A send
 * writes the message, but every send of one event-loop turn shares one statement and the chat
 * bucket (R-MSG-7) bounds them, so it keeps the memory cost. Sync, history and read positions
 * each query the database, and so do delivered receipts and the receipts list. Typing is answered
 * from memory (cached friend, member and block sets) and has its own bucket (R-TYP-2).
 */
export const messagingCosts: RequestCosts<Names> = {
  'chat.send': 'memory',
  'chat.sendGroup': 'memory',
  'chat.sync': 'db',
  'chat.history': 'db',
  'chat.read': 'db',
  'chat.delivered': 'db',
  'chat.receipts': 'db',
  'chat.typing': 'memory',
  'rtc.iceServers': 'memory',
  'rtc.signal': 'memory',
};

export function messagingHandlers(
  svc: MessagingService,
  conversations: Conversations,
  receipts: Receipts,
  /** The sender's name (presence: the session's, else the account's). */
  names: { displayNameOf(userId: number): Promise<string> },
): HandlerMap<Names> {
  const sender = async (ctx: RequestContext, withName: boolean): Promise<Sender> => {
    const s = requireSession(ctx);
    return {
      userId: s.userId,
      socketId: ctx.socketId,
      sessionId: s.sessionId,
      displayName: withName ? await names.displayNameOf(s.userId) : '',
      // L3: deliveries to others go out after this request's answer is queued. Past the request
      // deadline the answer was already given (UNAVAILABLE) and the hook is refused: deliver now.
      afterAck: (fn) => {
        try {
          ctx.connection.afterResponse(fn);
        } catch {
          fn();
        }
      },
    };
  };
  return {
    'chat.send': async (ctx, p) =>
      limited(ctx, async () => svc.sendToFriend(await sender(ctx, false), p.to, p.text, p.clientId)),
    'chat.sendGroup': async (ctx, p) =>
      limited(ctx, async () => svc.sendToGroup(await sender(ctx, true), p.groupId, p.text, p.clientId)),
    'chat.sync': (ctx) => conversations.sync(requireSession(ctx).userId),
    'chat.history': (ctx, p) => conversations.history(requireSession(ctx).userId, p),
    'chat.read': async (ctx, p) => {
      const s = requireSession(ctx);
      const stored = await conversations.read(s.userId, s.sessionId, p.conv, p.seq);
      // R-RCP-2: the others hear of it only as the receipt rules allow.
      if (stored.seq > 0) await receipts.read(s.userId, p.conv, stored.seq);
      return stored;
    },
    'chat.delivered': (ctx, p) => receipts.delivered(requireSession(ctx).userId, p.conv, p.seq),
    'chat.receipts': (ctx, p) => receipts.list(requireSession(ctx).userId, p.conv),
    'chat.typing': (ctx, p) =>
      limited(ctx, () =>
        receipts.typing({ userId: requireSession(ctx).userId, socketId: ctx.socketId }, p.conv, p.active),
      ),
    'rtc.iceServers': (ctx) => svc.iceServers(requireSession(ctx).userId),
    'rtc.signal': async (ctx, p) => {
      const { to, ...sig } = p;
      return limited(ctx, async () => svc.signal(await sender(ctx, false), to, sig));
    },
  };
}
