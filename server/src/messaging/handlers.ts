import { CloseCode, ErrorCode } from '@imw/shared';
import { AppError, type HandlerMap, type RequestContext, type RequestCosts, requireSession } from '../core';
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

type Names = 'chat.send' | 'chat.sendGroup' | 'rtc.iceServers' | 'rtc.signal';

/** R-LIM-16: chat and signalling are answered from memory (cached friend and member sets). */
export const messagingCosts: RequestCosts<Names> = {
  'chat.send': 'memory',
  'chat.sendGroup': 'memory',
  'rtc.iceServers': 'memory',
  'rtc.signal': 'memory',
};

export function messagingHandlers(
  svc: MessagingService,
  /** The sender's name (presence: the session's, else the account's). */
  names: { displayNameOf(userId: number): Promise<string> },
): HandlerMap<Names> {
  const sender = async (ctx: RequestContext, withName: boolean): Promise<Sender> => {
    const s = requireSession(ctx);
    return {
      userId: s.userId,
      socketId: ctx.socketId,
      displayName: withName ? await names.displayNameOf(s.userId) : '',
    };
  };
  return {
    'chat.send': async (ctx, p) =>
      limited(ctx, async () => svc.sendToFriend(await sender(ctx, false), p.to, p.text)),
    'chat.sendGroup': async (ctx, p) =>
      limited(ctx, async () => svc.sendToGroup(await sender(ctx, true), p.groupId, p.text)),
    'rtc.iceServers': (ctx) => svc.iceServers(requireSession(ctx).userId),
    'rtc.signal': async (ctx, p) => {
      const { to, ...sig } = p;
      return limited(ctx, async () => svc.signal(await sender(ctx, false), to, sig));
    },
  };
}
