import { CloseCode } from '@imw/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { ClientAddresses, limitKey, normalise } from '../../src/net/address';
import { testDatabase } from '../support/db';
import { RawSocket } from '../support/raw';
import { startTestServer } from '../support/server';

describe('R-SEC-13: the client address behind trusted proxies (security review L10)', () => {
  it('believes X-Forwarded-For only from a trusted peer, and only its right-most untrusted hop', () => {
    const a = new ClientAddresses('10.0.0.0/8, 127.0.0.1, fd00::/8');
    expect(a.resolve('127.0.0.1', '203.0.113.5')).toBe('203.0.113.5');
    // The client wrote the left-most entry itself; the proxy appended the real peer.
    expect(a.resolve('127.0.0.1', '198.51.100.1, 203.0.113.5')).toBe('203.0.113.5');
    // Two trusted proxies in a row: skip both.
    expect(a.resolve('127.0.0.1', '203.0.113.5, 10.1.2.3')).toBe('203.0.113.5');
    // An untrusted peer's header is ignored.
    expect(a.resolve('192.0.2.9', '203.0.113.5')).toBe('192.0.2.9');
    // Garbage from a trusted proxy: fall back to the peer, never to the garbage.
    expect(a.resolve('127.0.0.1', 'not-an-ip')).toBe('127.0.0.1');
    expect(a.resolve('127.0.0.1', '203.0.113.5, <script>')).toBe('127.0.0.1');
    // IPv6 and IPv4-mapped peers.
    expect(a.resolve('fd00::1', '2001:db8::7')).toBe('2001:db8::7');
    expect(a.resolve('::ffff:127.0.0.1', '203.0.113.5')).toBe('203.0.113.5');
    // Nobody trusted: the header never matters.
    expect(new ClientAddresses(undefined).resolve('127.0.0.1', '203.0.113.5')).toBe('127.0.0.1');
  });

  it('keys IPv6 limits by /64 and IPv4 by address', () => {
    expect(limitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(limitKey('203.0.113.5')).toBe('203.0.113.5');
    expect(normalise('0000:0000:0000:0000:0000:ffff:7f00:0001')).toBe('127.0.0.1'); // uWS's padded form
    expect(normalise('2001:db8::1')).toBe('2001:db8::1');
    expect(normalise('::FFFF:10.0.0.1')).toBe('10.0.0.1');
  });

  it('refuses a malformed TRUSTED_PROXIES at start', () => {
    expect(() => new ClientAddresses('10.0.0.0/40')).toThrow(/bad prefix length/);
    expect(() => new ClientAddresses('proxy.example')).toThrow(/not an IP address/);
  });
});

describe('R-SEC-13: per-address connection limits count the forwarded client', () => {
  let db: Database;
  let server: ImServer | undefined;
  const open: RawSocket[] = [];
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterEach(async () => {
    for (const s of open.splice(0)) s.close();
    await server?.close();
    server = undefined;
  });
  afterAll(async () => {
    await db.close();
  });

  const served = async (s: RawSocket) => {
    s.request('sys.heartbeat', 1, {});
    await s.response(1);
    return s.closeCode === null;
  };

  it('behind a trusted proxy, one client filling its slots does not lock out another', async () => {
    server = await startTestServer(db, { MAX_CONNECTIONS_PER_ADDRESS: 2, TRUSTED_PROXIES: '127.0.0.1' });
    const xff = (ip: string) => ({ 'x-forwarded-for': ip });
    for (let i = 0; i < 2; i++) open.push(await RawSocket.open(server.wsUrl, xff('203.0.113.5')));
    const third = await RawSocket.open(server.wsUrl, xff('203.0.113.5'));
    open.push(third);
    expect(await third.closed()).toBe(CloseCode.TOO_MANY_CONNECTIONS);
    const other = await RawSocket.open(server.wsUrl, xff('203.0.113.6'));
    open.push(other);
    expect(await served(other)).toBe(true);
  });

  it('without TRUSTED_PROXIES the header is ignored: the peer address counts', async () => {
    server = await startTestServer(db, { MAX_CONNECTIONS_PER_ADDRESS: 2 });
    for (const ip of ['203.0.113.5', '203.0.113.6'])
      open.push(await RawSocket.open(server.wsUrl, { 'x-forwarded-for': ip }));
    const spoofed = await RawSocket.open(server.wsUrl, { 'x-forwarded-for': '203.0.113.7' });
    open.push(spoofed);
    expect(await spoofed.closed()).toBe(CloseCode.TOO_MANY_CONNECTIONS);
  });
});
