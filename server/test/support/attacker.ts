import { ErrorCode, encodeRequest, PROTOCOL_VERSION } from '@imw/shared';
import { RawSocket } from './raw';
import { SecureSession } from './secure';

/**
 * One flooding client for scripts/soak/flood.ts, for `ms` milliseconds: a logged-in connection
 * that sends 50 database-backed requests per frame as fast as the socket takes them (and logs in
 * again whenever it is closed), and a pre-login connection that alternates garbage and valid
 * frames (and reconnects whenever it is closed). Returns what it sent and how it was answered.
 */
export async function runAttacker(url: string, ms: number): Promise<Record<string, number>> {
  const t: Record<string, number> = {
    requests: 0,
    answered: 0,
    refused: 0,
    logins: 0,
    garbageFrames: 0,
    preLoginConnections: 0,
  };
  const closed = (code: number | null) => {
    const k = `close${code}`;
    t[k] = (t[k] ?? 0) + 1;
  };
  const until = Date.now() + ms;
  const pause = () => new Promise((r) => setTimeout(r, 5));

  const loggedIn = async () => {
    let id = 1_000_000;
    while (Date.now() < until) {
      let s: SecureSession;
      try {
        s = await SecureSession.open(url, undefined, 'atk');
        t.logins!++;
      } catch {
        t.loginFailures = (t.loginFailures ?? 0) + 1;
        await pause();
        continue;
      }
      while (s.open && Date.now() < until) {
        // As fast as the socket drains, no faster: what would only pile up here attacks nobody.
        if (s.ws.bufferedAmount > 256 * 1024) {
          await pause();
          continue;
        }
        for (let f = 0; f < 10 && s.open; f++) {
          s.sendRecords(Array.from({ length: 50 }, () => encodeRequest('account.getProfile', id++, {})));
          t.requests! += 50;
        }
        await pause();
      }
      for (const p of s.packets) {
        if (p.kind === 'result') t.answered!++;
        else if (p.kind === 'error' && p.error.code === ErrorCode.RATE_LIMITED) t.refused!++;
      }
      if (s.open) s.close();
      else closed(s.closeCode);
    }
  };

  const preLogin = async () => {
    let n = 0;
    while (Date.now() < until) {
      let raw: RawSocket;
      try {
        raw = await RawSocket.open(url);
        t.preLoginConnections!++;
      } catch {
        await pause();
        continue;
      }
      while (raw.closeCode === null && Date.now() < until) {
        for (let f = 0; f < 20 && raw.closeCode === null; f++) {
          // Odd rounds: undecodable bytes (closed 4000 after MAX_MALFORMED_FRAMES); even rounds:
          // valid frames (closed 4015 after PRE_LOGIN_MAX_FRAMES).
          if (n % 2) raw.send(new Uint8Array([PROTOCOL_VERSION, 0, 0xde, 0xad, 0xbe, 0xef]));
          else raw.request('sys.heartbeat', f + 1, {});
          t.garbageFrames!++;
        }
        await pause();
      }
      n++;
      if (raw.closeCode === null) raw.close();
      else closed(raw.closeCode);
    }
  };

  await Promise.all([loggedIn(), preLogin()]);
  return t;
}
