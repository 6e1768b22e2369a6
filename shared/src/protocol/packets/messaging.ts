import { z } from 'zod';
import { empty, event, request, userId } from '../schema';
import { groupId } from './social';

/**
 * Messages (seed module 4) and direct connections (seed module 2). Request ids 100–149, event
 * ids 1200–1299. Text is checked again on the server against the configured maximum
 * (CHAT_MAX_TEXT_CHARS); the schema bound is the hard ceiling.
 */
/** The wire ceiling for chat text; the operator's CHAT_MAX_TEXT_CHARS (announced in sys.hello) is at or below it. */
export const CHAT_TEXT_CEILING_CHARS = 10_000;
export const chatText = z.string().min(1).max(CHAT_TEXT_CEILING_CHARS);
export const messageId = z.string().max(64);

const ack = z.object({ messageId, atMs: z.number() });

export const rtcKind = z.enum(['offer', 'answer', 'candidate', 'hangup']);
export type RtcKind = z.infer<typeof rtcKind>;

/** An ICE candidate as RTCIceCandidateInit, bounded. */
export const iceCandidate = z
  .object({
    candidate: z.string().max(1024),
    sdpMid: z.string().max(64).nullable().optional(),
    sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
    usernameFragment: z.string().max(256).nullable().optional(),
  })
  .strict();

const signal = {
  callId: z.string().min(1).max(64),
  kind: rtcKind,
  /** SDP for offer/answer; bounded so a relay cannot be used to move bulk data. */
  sdp: z.string().max(16_384).optional(),
  candidate: iceCandidate.optional(),
  /** What the caller wants: data channel only, or audio/video too. */
  media: z.enum(['data', 'audio', 'video']).optional(),
};

export const iceServer = z.object({
  urls: z.array(z.string()),
  username: z.string().optional(),
  credential: z.string().optional(),
});

export const messagingRequests = {
  /**
   * R-MSG-1: a message to a friend. The acknowledgement is the same whether the friend is online,
   * offline or invisible. R-MSG-2: to anyone who is not a friend, there is no answer at all.
   */
  'chat.send': request(100, z.object({ to: userId, text: chatText }).strict(), ack),
  /** R-MSG-4: a message to a group you are a member of. */
  'chat.sendGroup': request(101, z.object({ groupId, text: chatText }).strict(), ack),
  /** R-RTC-1: the ICE servers to use, with short-lived TURN credentials when TURN is configured. */
  'rtc.iceServers': request(120, empty, z.object({ iceServers: z.array(iceServer), ttlSeconds: z.number() })),
  /** R-RTC-2: relay one signalling message to a friend; strangers get silence, like messages. */
  'rtc.signal': request(121, z.object({ to: userId, ...signal }).strict(), empty),
} as const;

export const messagingEvents = {
  'chat.message': event(
    1200,
    z.object({ messageId, from: userId, to: userId, text: z.string(), atMs: z.number() }),
  ),
  'chat.groupMessage': event(
    1201,
    z.object({
      messageId,
      groupId,
      from: userId,
      fromName: z.string(),
      text: z.string(),
      atMs: z.number(),
    }),
  ),
  /** R-MSG-6: an operator notice; reaches every online user, friends or not. */
  'chat.system': event(1210, z.object({ messageId, text: z.string(), atMs: z.number() })),
  'chat.ad': event(
    1211,
    z.object({
      messageId,
      title: z.string(),
      text: z.string(),
      /**
       * R-SEC-4: http(s) only, like the admin API takes them; anything else (`javascript:`,
       * `data:`) makes the whole record malformed, so no SDK user renders it as an href.
       */
      link: z
        .url({ protocol: /^https?$/ })
        .max(500)
        .optional(),
      atMs: z.number(),
    }),
  ),
  'rtc.signal': event(1220, z.object({ from: userId, ...signal })),
} as const;
