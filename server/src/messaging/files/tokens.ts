import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * R-FILE-1: the short-lived bearer token of the HTTP file routes, `<userId>.<expiresAtMs>.<mac>`
 * with an HMAC-SHA-256 under a key every node shares (derived from the resume-ticket key). It is
 * handed out over the encrypted session (`files.token`); it names the user, and every upload and
 * download still checks that user's membership of the conversation.
 */
export class FileTokens {
  private readonly key: Buffer;

  constructor(
    secret: Uint8Array,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {
    // Its own key: a token MAC must never be usable as anything a ticket key signs.
    this.key = createHmac('sha256', secret).update('imw files token v1').digest();
  }

  issue(userId: number): { token: string; expiresAtMs: number } {
    const expiresAtMs = this.now() + this.ttlMs;
    const body = `${userId}.${expiresAtMs}`;
    return { token: `${body}.${this.mac(body)}`, expiresAtMs };
  }

  /** The user the token names, or null when it is malformed, forged or expired. */
  verify(token: string | undefined): number | null {
    if (!token || token.length > 200) return null;
    const m = /^([1-9][0-9]{0,9})\.([0-9]{1,16})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return null;
    const [, user, exp, mac] = m as unknown as [string, string, string, string];
    const want = Buffer.from(this.mac(`${user}.${exp}`));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
    if (Number(exp) <= this.now()) return null;
    return Number(user);
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
