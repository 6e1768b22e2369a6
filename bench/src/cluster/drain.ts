/**
 * Scale-out figures (issue "Load balancing"): message latency between users on the same node and
 * on different nodes, and the time to drain a node with N sessions while messages are in flight,
 * counting losses and duplicates. Needs PostgreSQL and Redis:
 *
 *   DATABASE_URL=postgres://root@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379 \
 *     node --import tsx bench/src/cluster/drain.ts [--sessions 1000] [--messages 300] [--announce-ms MS]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ImClient } from '@imw/shared/sdk';
import { nodeSocketFactory } from '@imw/shared/sdk/node';
import { nodeCipherFactory } from '../load/imw-client';
import { buildServer } from '../target/specs';

const ROOT = resolve(import.meta.dirname, '../../..');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const SESSIONS = arg('sessions', 1000);
const MESSAGES = arg('messages', 300);
/** How often nodes announce their counts (the server's default unless given): placement reads them. */
const ANNOUNCE_MS = process.argv.includes('--announce-ms') ? String(arg('announce-ms', 1000)) : undefined;

function startNode(env: Record<string, string>): Promise<{ url: string; ws: string; child: ChildProcess }> {
  buildServer(); // once; the nodes run the bundle, as in production
  const child = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((res, rej) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /IM World is running: (\S+)/.exec(out);
      if (m?.[1]) res({ url: m[1], ws: `${m[1].replace(/^http/, 'ws')}/ws`, child });
    });
    child.once('exit', (c) => rej(new Error(`node exited ${c}`)));
  });
}

const client = (url: string) =>
  new ImClient({
    url,
    socketFactory: nodeSocketFactory,
    scramIterations: 4096,
    cipherFactory: nodeCipherFactory,
    heartbeat: false,
    requestTimeoutMs: 30_000,
  });

async function user(url: string, prefix: string) {
  const c = client(url);
  await c.connect();
  const name = `${prefix}${randomBytes(5).toString('hex')}`;
  await c.register(name, 'bench-password');
  const p = await c.login(name, 'bench-password');
  return { c, name, id: p.userId };
}

async function befriend(a: Awaited<ReturnType<typeof user>>, b: Awaited<ReturnType<typeof user>>) {
  const got = new Promise<void>((r) => {
    const off = b.c.on('friends.requestReceived', () => {
      off();
      r();
    });
  });
  await a.c.request('friends.request', { username: b.name });
  await got;
  await b.c.request('friends.accept', { userId: a.id });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

async function latency(from: Awaited<ReturnType<typeof user>>, to: Awaited<ReturnType<typeof user>>) {
  const samples: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const t0 = performance.now();
    const arrived = new Promise<void>((r) => {
      const off = to.c.on('chat.message', (m) => {
        if (m.text === `lat ${i}`) {
          off();
          r();
        }
      });
    });
    await from.c.request('chat.send', { to: to.id, text: `lat ${i}` });
    await arrived;
    samples.push(performance.now() - t0);
  }
  return { p50: pct(samples, 50), p99: pct(samples, 99) };
}

async function main() {
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) throw new Error('set DATABASE_URL and REDIS_URL');
  const env = {
    REDIS_KEY_PREFIX: `imwb:${randomBytes(4).toString('hex')}:`,
    ADMIN_TOKEN: 'bench-admin-token-0123456789abcdefghij',
    SCRAM_DEFAULT_ITERATIONS: '4096',
    CHAT_RATE_PER_SEC: '0',
    REQUESTS_PER_SEC: '0',
    MAX_CONNECTIONS_PER_ADDRESS: '1000000',
    PRE_LOGIN_REQUESTS_PER_ADDRESS_PER_SEC: '0',
    // One user befriends the 50 watched movers: past R-FRD-30's default hourly cap.
    FRIEND_REQUESTS_PER_HOUR: '0',
    ...(ANNOUNCE_MS ? { NODE_ANNOUNCE_MS: ANNOUNCE_MS } : {}),
  };
  const n1 = await startNode(env);
  const n2 = await startNode(env);
  const n3 = await startNode(env);
  // A fourth node: the drained node's sessions spread over three others (#18 target 5).
  const n4 = await startNode(env);
  try {
    await new Promise((r) => setTimeout(r, 800)); // let the registry fill
    const a = await user(n1.ws, 'la');
    const same = await user(n1.ws, 'ls');
    const other = await user(n2.ws, 'lo');
    await befriend(a, same);
    await befriend(a, other);
    const sameNode = await latency(a, same);
    const crossNode = await latency(a, other);
    console.log(`latency same node:  p50 ${sameNode.p50.toFixed(2)} ms  p99 ${sameNode.p99.toFixed(2)} ms`);
    console.log(`latency cross node: p50 ${crossNode.p50.toFixed(2)} ms  p99 ${crossNode.p99.toFixed(2)} ms`);

    // N sessions on node 3; one friend of node 1 keeps messaging 50 of them during the drain.
    console.log(`logging in ${SESSIONS} sessions on node 3…`);
    const movers: Awaited<ReturnType<typeof user>>[] = [];
    for (let i = 0; i < SESSIONS; i += 50) {
      movers.push(
        ...(await Promise.all(Array.from({ length: Math.min(50, SESSIONS - i) }, () => user(n3.ws, 'd')))),
      );
    }
    const watched = movers.slice(0, 50);
    for (const m of watched) await befriend(a, m);
    const received = new Map<number, string[]>();
    for (const m of watched) {
      received.set(m.id, []);
      m.c.on('chat.message', (x) => received.get(m.id)!.push(x.text));
    }
    let sent = 0;
    let sending = true;
    const sender = (async () => {
      for (let k = 0; sending; k++) {
        await Promise.all(watched.map((m) => a.c.request('chat.send', { to: m.id, text: `d${k}` })));
        sent++;
      }
    })();
    const t0 = performance.now();
    const r = await fetch(`${n3.url}/admin/drain`, {
      method: 'POST',
      headers: { authorization: 'Bearer bench-admin-token-0123456789abcdefghij' },
    });
    const drained = (await r.json()) as { moved: number; remaining: number };
    const tDrainCall = performance.now() - t0;
    while (movers.some((m) => m.c.state.status !== 'authenticated' || m.c.currentUrl === n3.ws)) {
      await new Promise((res) => setTimeout(res, 20));
    }
    const tAllMoved = performance.now() - t0;
    await new Promise((res) => setTimeout(res, 500));
    sending = false;
    await sender;
    const tStopped = performance.now();
    // Acks come back before cross-node delivery ends: wait until nothing new arrives for 2 s.
    const total = () => [...received.values()].reduce((n, t) => n + t.length, 0);
    for (let last = -1, quietSince = performance.now(); performance.now() - quietSince < 2000; ) {
      const now = total();
      if (now !== last) {
        last = now;
        quietSince = performance.now();
      }
      await new Promise((res) => setTimeout(res, 50));
    }
    const tailMs = performance.now() - tStopped - 2000;
    let lost = 0;
    let dup = 0;
    for (const m of watched) {
      const texts = received.get(m.id)!;
      lost += sent - new Set(texts).size;
      dup += texts.length - new Set(texts).size;
    }
    console.log(
      `drain of ${drained.moved} sessions: drain call ${tDrainCall.toFixed(0)} ms, all resumed elsewhere after ${tAllMoved.toFixed(0)} ms`,
    );
    // Where they went, with the three users the latency probe left on nodes 1 and 2.
    const perNode = [n1, n2, n4].map((n) => movers.filter((m) => m.c.currentUrl === n.ws).length);
    perNode[0]! += 2;
    perNode[1]! += 1;
    console.log(
      `sessions per node after the drain: ${perNode.join(' / ')} (most / least ${(Math.max(...perNode) / Math.max(1, Math.min(...perNode))).toFixed(2)}×)`,
    );
    console.log(
      `messages to ${watched.length} moving users during the drain: ${sent * watched.length} sent, ${lost} lost, ${dup} duplicated (last delivery ${Math.max(0, tailMs).toFixed(0)} ms after the last ack)`,
    );
    for (const m of [a, same, other, ...movers]) m.c.close();
  } finally {
    for (const n of [n1, n2, n3, n4]) n.child.kill('SIGKILL');
  }
}

await main();
process.exit(0);
