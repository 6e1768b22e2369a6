import fc from 'fast-check';
import { type FuzzTargets, mutate, mutationArb, plainFrameArb, plaintextArb } from './frames';
import { metricSum, percentile } from './measure';
import { type Expectation, expectPlainFrame, expectRecords, expectSecureFrame, judge } from './oracle';
import { spawnServer } from './process';
import { RawSocket } from './raw';
import { connectUser } from './script-users';
import { SecureSession } from './secure';
import { TEST_ITERATIONS } from './server';

export interface LiveFuzzOptions {
  seconds: number;
  sockets: number;
  seed: number;
  databaseUrl?: string;
  log: (line: string) => void;
}

export interface LiveFuzzReport {
  cases: number;
  closes: Record<string, number>;
  /** Distinct problems (undocumented answers, stalls, health failures, a crash, memory growth). */
  problems: string[];
  rssMb: number[];
  /** The server's V8 heap in use (nodejs_heap_size_used_bytes), MB: a leak in JS shows here. */
  heapMb: number[];
}

type Case =
  | { kind: 'plain'; frame: Uint8Array }
  | { kind: 'sealed'; plaintext: Uint8Array }
  | { kind: 'tampered'; plaintext: Uint8Array; mutations: Parameters<typeof mutate>[1] };

const SENTINEL_LOGIN = { nonce: 'a'.repeat(24), clientProof: new Uint8Array(32) };
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * The live half of scripts/fuzz/run.ts: a server in a child process, `sockets` connections (a third
 * before login, the rest logged in) sending fuzzed frames and judging every answer with the same
 * oracle as R-HARD-5/6, while a sampler checks /healthz, a bystander and the server's RSS.
 */
export async function runLiveFuzz(o: LiveFuzzOptions): Promise<LiveFuzzReport> {
  const srv = await spawnServer({
    ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
    env: {
      SCRAM_DEFAULT_ITERATIONS: String(TEST_ITERATIONS),
      // Limits get their own tests; here each connection should live long enough to go deep.
      REQUESTS_PER_SEC: '5000',
      REQUESTS_BURST: '10000',
      MAX_MALFORMED_FRAMES: '100',
      PRE_LOGIN_MAX_FRAMES: '1000000',
      MAX_CONNECTIONS_PER_ADDRESS: '100000',
      RESUME_GRACE_MS: '0',
    },
  });
  o.log(`live: server pid ${srv.pid} at ${srv.httpUrl}; ${o.sockets} sockets for ${o.seconds} s`);
  const problems = new Map<string, number>();
  const problem = (p: string) => problems.set(p, (problems.get(p) ?? 0) + 1);
  const closes: Record<string, number> = {};
  const rssMb: number[] = [];
  const heapMb: number[] = [];
  let cases = 0;
  const bystander = await connectUser(srv.wsUrl, 'lfby');
  const group = await bystander.client.request('groups.create', { name: 'live fuzz' });
  const targets: FuzzTargets = {
    userIds: [bystander.userId, 2 ** 31 - 1],
    usernames: [bystander.username],
    groupIds: [group.groupId],
  };
  const deadline = Date.now() + o.seconds * 1000;
  const stop = () => Date.now() > deadline || srv.exit !== null;

  const sampler = (async () => {
    const latencies: number[] = [];
    let lastLog = Date.now();
    while (!stop()) {
      await sleep(2000);
      rssMb.push(srv.rssBytes() / 2 ** 20);
      heapMb.push((await metricSum(srv.httpUrl, 'nodejs_heap_size_used_bytes').catch(() => 0)) / 2 ** 20);
      const t0 = Date.now();
      try {
        const h = await fetch(`${srv.httpUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
        if (h.status !== 200) problem(`/healthz answered ${h.status}`);
        await bystander.client.request('rtc.iceServers', {});
        latencies.push(Date.now() - t0);
      } catch (e) {
        if (srv.exit === null) problem(`health or bystander failed: ${String(e)}`);
      }
      if (Date.now() - lastLog >= 10_000) {
        lastLog = Date.now();
        o.log(
          `  ${cases} cases, rss ${rssMb.at(-1)?.toFixed(0)} MB, heap ${heapMb.at(-1)?.toFixed(0)} MB, ` +
            `bystander p99 ${percentile(latencies.slice(-5), 99)} ms, ` +
            `closes ${JSON.stringify(closes)}`,
        );
      }
    }
  })();

  const plainCases = plainFrameArb(targets).map((frame): Case => ({ kind: 'plain', frame }));
  const secureCases = fc.oneof(
    { arbitrary: plaintextArb(targets).map((plaintext): Case => ({ kind: 'sealed', plaintext })), weight: 9 },
    {
      arbitrary: fc
        .tuple(plaintextArb(targets), fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
        .map(([plaintext, mutations]): Case => ({ kind: 'tampered', plaintext, mutations })),
      weight: 1,
    },
  );

  const worker = async (index: number) => {
    const preLogin = index % 3 === 0;
    let raw: RawSocket | null = null;
    let sec: SecureSession | null = null;
    let sentinel = 0;
    for (let batch = 0; !stop(); batch++) {
      const seed = (o.seed + index * 100_003 + batch * 7919) | 0;
      const list = fc.sample(preLogin ? plainCases : secureCases, { numRuns: 100, seed });
      for (const c of list) {
        if (stop()) break;
        try {
          if (preLogin) {
            if (!raw || raw.closeCode !== null) raw = await RawSocket.open(srv.wsUrl);
            if (c.kind !== 'plain') continue;
            const e = expectPlainFrame(c.frame);
            if (e.ownIds) continue;
            const r: RawSocket = raw;
            const from = r.packets.length;
            const sid = ++sentinel;
            r.send(c.frame);
            if (e.close === null) r.request('auth.login', sid, SENTINEL_LOGIN);
            const answered = () => r.packets.some((p) => p.kind !== 'event' && p.requestId === sid);
            await r.until(() => r.closeCode !== null || answered(), ANSWER_TIMEOUT_MS);
            record(judge(e, r.packets.slice(from), sid, r.closeCode), r.closeCode);
          } else {
            if (!sec?.open) sec = await SecureSession.open(srv.wsUrl, undefined, 'lf');
            const s: SecureSession = sec;
            const from = s.packets.length;
            let e: Expectation;
            if (c.kind === 'sealed') {
              e = expectRecords(c.plaintext, 'secure');
              if (e.ownIds) continue;
              s.sendPlaintext(c.plaintext);
            } else if (c.kind === 'tampered') {
              const counter = s.nextCounter;
              const frame = mutate(s.seal(c.plaintext), c.mutations);
              const x = expectSecureFrame(frame, counter, (n, aad, body) => s.openSent(n, aad, body));
              // Not sent, or not accepted as a frame by the server: that counter is still the next.
              if (x.e.ownIds || !x.consumed) s.rewind();
              if (x.e.ownIds) continue;
              e = x.e;
              s.sendRaw(frame);
            } else continue;
            const sid = e.close === null ? s.post('rtc.iceServers', {}) : -1;
            await s.until(() => !s.open || (sid > 0 && s.findResponse(sid) !== undefined), ANSWER_TIMEOUT_MS);
            record(judge(e, s.packets.slice(from), sid, s.closeCode), s.closeCode);
            if (s.badFrames > 0) problem('the server sent a frame the client could not read');
            // Keep memory flat on our side: forget what was judged.
            if (s.packets.length > 1000) s.packets.splice(0, s.packets.length);
          }
          cases++;
        } catch (err) {
          if (!stop()) problem(`no answer: ${String(err)}`);
          raw?.close();
          sec?.close();
          raw = null;
          sec = null;
        }
      }
      if (raw && raw.packets.length > 1000) raw.packets.splice(0, raw.packets.length);
    }
    raw?.close();
    sec?.close();
  };

  function record(found: string[], closeCode: number | null): void {
    for (const p of found) problem(p.replace(/request \d+/g, 'request N'));
    if (closeCode !== null) closes[closeCode] = (closes[closeCode] ?? 0) + 1;
  }

  await Promise.all(Array.from({ length: o.sockets }, (_, i) => worker(i)));
  await sampler;
  if (srv.exit !== null) problem(`the server exited (${JSON.stringify(srv.exit)}):\n${srv.tail()}`);
  const internal =
    srv.exit === null ? await metricSum(srv.httpUrl, 'imw_errors_total', 'code="INTERNAL"') : 0;
  if (internal > 0) problem(`${internal} requests answered INTERNAL (server log:\n${srv.tail()})`);
  bystander.client.close();
  const growth = memoryGrowth(rssMb);
  const heapGrowth = memoryGrowth(heapMb);
  o.log(
    `live: ${cases} cases; closes ${JSON.stringify(closes)}; rss ${rssMb[0]?.toFixed(0)} -> ` +
      `${rssMb.at(-1)?.toFixed(0)} MB (max ${Math.max(...rssMb).toFixed(0)}), heap ${heapMb[0]?.toFixed(0)} -> ` +
      `${heapMb.at(-1)?.toFixed(0)} MB; second-half growth: rss ${growth.toFixed(0)} MB, heap ` +
      `${heapGrowth.toFixed(0)} MB`,
  );
  // PGlite keeps its data in the server's memory (WASM), so RSS grows with what the fuzzers
  // register; the JS heap must stay flat whatever the database.
  if (heapGrowth > 50)
    problem(`the JS heap grew ${heapGrowth.toFixed(0)} MB over the second half of the run`);
  if (growth > 150) problem(`RSS grew ${growth.toFixed(0)} MB over the second half of the run`);
  await srv.stop();
  const list = [...problems].map(([p, n]) => (n > 1 ? `${p} (x${n})` : p));
  o.log(`live: ${list.length === 0 ? 'no problems' : `${list.length} distinct problems:`}`);
  for (const p of list.slice(0, 30)) o.log(`  - ${p}`);
  return { cases, closes, problems: list, rssMb, heapMb };
}

/** Median RSS of the last quarter minus that of the second quarter (after warm-up), in MB. */
function memoryGrowth(mb: readonly number[]): number {
  if (mb.length < 8) return 0;
  const q = Math.floor(mb.length / 4);
  return percentile(mb.slice(-q), 50) - percentile(mb.slice(q, 2 * q), 50);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
