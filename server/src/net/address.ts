import { BlockList, isIP } from 'node:net';

/**
 * Which address a client is, for per-address limits (connections, pre-login budget, login
 * failures) and logs. Behind a reverse proxy every TCP peer is the proxy, so one abuser would
 * exhaust everybody's budget (security review L10). `X-Forwarded-For` is believed only from
 * peers listed in TRUSTED_PROXIES; anyone else could write whatever they like there.
 */
export class ClientAddresses {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  /** `spec`: comma-separated addresses or CIDR ranges (IPv4 or IPv6); empty trusts nobody. */
  constructor(spec: string | undefined) {
    const entries = (spec ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const e of entries) {
      const [addr = '', bits] = e.split('/');
      const family = isIP(addr);
      if (!family) throw new Error(`TRUSTED_PROXIES: '${e}' is not an IP address or CIDR range`);
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.trusted.addAddress(addr, type);
      else {
        const prefix = Number(bits);
        if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
          throw new Error(`TRUSTED_PROXIES: '${e}' has a bad prefix length`);
        this.trusted.addSubnet(addr, prefix, type);
      }
    }
    this.any = entries.length > 0;
  }

  /**
   * The client behind `peer`: the right-most `X-Forwarded-For` entry that is not a trusted proxy
   * (entries further left were written by the client itself and prove nothing). A malformed
   * header from a trusted proxy falls back to the peer.
   */
  resolve(peer: string, forwardedFor: string | undefined): string {
    const self = normalise(peer);
    if (!this.any || !forwardedFor || !this.isTrusted(self)) return self;
    const hops = forwardedFor.split(',').map((s) => normalise(s.trim()));
    let client = self;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] ?? '';
      if (!isIP(hop)) return self;
      client = hop;
      if (!this.isTrusted(hop)) break;
    }
    return client;
  }

  private isTrusted(addr: string): boolean {
    const family = isIP(addr);
    return family !== 0 && this.trusted.check(addr, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`, or uWS's padded hex form) is the IPv4 address. */
export function normalise(addr: string): string {
  const a = addr.toLowerCase();
  const dotted = /^(?:(?:0{1,4}:){5}|::)ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted?.[1]) return dotted[1];
  if (isIP(a) !== 6) return a;
  const g = expand(a);
  if (!g || g.slice(0, 5).some((x) => x !== '0') || g[5] !== 'ffff') return a;
  const hi = Number.parseInt(g[6] ?? '0', 16);
  const lo = Number.parseInt(g[7] ?? '0', 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/**
 * The key per-address limits count under: the address itself for IPv4, its /64 for IPv6 (one
 * subscriber usually holds a whole /64, so per-address limits on single IPv6 addresses do nothing).
 */
export function limitKey(addr: string): string {
  if (isIP(addr) !== 6) return addr;
  const groups = expand(addr);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : addr;
}

function expand(addr: string): string[] | null {
  const [head = '', tail] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  if (tail === undefined && h.length !== 8) return null;
  const zeros = Array(8 - h.length - t.length).fill('0');
  return [...h, ...zeros, ...t].map((g) => g.replace(/^0+/, '') || '0');
}
