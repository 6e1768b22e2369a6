import { createHmac } from 'node:crypto';

export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/**
 * ICE servers for a user (R-RTC-1). TURN credentials follow the TURN REST convention that coturn
 * implements with `use-auth-secret`: username "expiry:userId", password base64(HMAC-SHA1(secret, username)).
 */
export function iceServersFor(
  userId: number,
  nowMs: number,
  cfg: { stunUrls: string[]; turnUrls: string[]; turnSecret?: string | undefined; ttlSeconds: number },
): IceServer[] {
  const out: IceServer[] = [];
  if (cfg.stunUrls.length) out.push({ urls: cfg.stunUrls });
  if (cfg.turnUrls.length && cfg.turnSecret) {
    const username = `${Math.floor(nowMs / 1000) + cfg.ttlSeconds}:${userId}`;
    const credential = createHmac('sha1', cfg.turnSecret).update(username).digest('base64');
    out.push({ urls: cfg.turnUrls, username, credential });
  }
  return out;
}

export const splitUrls = (s: string): string[] =>
  s
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
