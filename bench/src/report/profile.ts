import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 .cpuprofile (from `node --cpu-prof`) that we read. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Window {
  fromMs: number;
  toMs: number;
}

/** Known costs on the hot paths, matched anywhere on the stack (inclusive time). */
const PROBES: Array<{ name: string; match: (fn: string, url: string) => boolean }> = [
  {
    name: 'AES-GCM seal (server → client frames)',
    match: (f, u) => f === 'seal' && u.includes('crypto/node-gcm'),
  },
  {
    name: 'AES-GCM open (client → server frames)',
    match: (f, u) => f === 'open' && u.includes('crypto/node-gcm'),
  },
  { name: 'msgpack encode (pack)', match: (f, u) => f === 'pack' && u.includes('protocol/codec') },
  { name: 'msgpack decode (unpack)', match: (f, u) => f === 'unpack' && u.includes('protocol/codec') },
  { name: 'zod validation', match: (_f, u) => u.includes('/zod/') },
  { name: 'database (PGlite / drizzle)', match: (_f, u) => /pglite|drizzle-orm|postgres/.test(u) },
  { name: 'metrics (prom-client)', match: (_f, u) => u.includes('prom-client') },
  { name: 'logging (pino)', match: (_f, u) => u.includes('/pino') },
  { name: 'gateway: parse → dispatch', match: (f, u) => f === 'message' && u.includes('net/gateway') },
  { name: 'gateway: flush (encrypt + send)', match: (f, u) => f === 'flush' && u.includes('net/gateway') },
  { name: 'uWS socket send', match: (f, u) => f === 'send' && u.includes('net/uws') },
  { name: 'routing (router.route)', match: (f, u) => f === 'route' && u.includes('cluster/router') },
  {
    name: 'display name lookup (accounts.userById)',
    match: (f, u) => f === 'userById' && u.includes('accounts/'),
  },
  { name: 'garbage collector', match: (f) => f === '(garbage collector)' },
];

const shortUrl = (u: string) =>
  u
    .replace(/^file:\/\//, '')
    .replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    .replace(/.*\/(server|shared|bench)\/src\//, '$1/');

export interface ProfileSummary {
  /** Busy (non-idle) sampled time; every pct below is a share of it. */
  totalMs: number;
  idleMs: number;
  self: Array<{ fn: string; ms: number; pct: number }>;
  byPackage: Array<{ pkg: string; ms: number; pct: number }>;
  probes: Array<{ name: string; ms: number; pct: number }>;
  /** Samples charged to the innermost server/ or shared/ function on the stack (who asked for the work). */
  byServerFrame: Array<{ fn: string; ms: number; pct: number }>;
}

/** Self time per function, self time per package/module, and inclusive time of known costs. */
export function summarizeProfile(p: CpuProfile, windows: readonly Window[] = [], top = 20): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const pkg = new Map<string, number>();
  const probe = new Map<string, number>();
  const owner = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    const w = (p.timeDeltas[i + 1] ?? 0) / 1000;
    const atMs = (t - p.startTime) / 1000;
    if (windows.length && !windows.some((x) => atMs >= x.fromMs && atMs <= x.toMs)) continue;
    const node = byId.get(p.samples[i]!);
    if (!node) continue;
    // Shares are of busy time: idle samples are counted apart.
    if (node.callFrame.functionName === '(idle)') {
      idle += w;
      continue;
    }
    total += w;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + w);
    const pk = url
      ? shortUrl(url)
          .split('/')
          .slice(0, url.includes('node_modules') ? 1 : 2)
          .join('/')
      : functionName;
    pkg.set(pk, (pkg.get(pk) ?? 0) + w);
    const hit = new Set<string>();
    let own: string | null = null;
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id)!.callFrame;
      for (const pr of PROBES) if (!hit.has(pr.name) && pr.match(cf.functionName, cf.url)) hit.add(pr.name);
      if (own === null && /\/(server|shared)\/src\//.test(cf.url) && !cf.url.includes('node_modules'))
        own = `${cf.functionName || '(anonymous)'} ${shortUrl(cf.url)}`;
    }
    const ownKey = own ?? `(outside our code: ${pk})`;
    owner.set(ownKey, (owner.get(ownKey) ?? 0) + w);
    for (const h of hit) probe.set(h, (probe.get(h) ?? 0) + w);
  }
  const rank = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => ({ k, ms, pct: total > 0 ? (ms / total) * 100 : 0 }));
  return {
    totalMs: total,
    idleMs: idle,
    self: rank(self, top).map(({ k, ms, pct }) => ({ fn: k, ms, pct })),
    byPackage: rank(pkg, 12).map(({ k, ms, pct }) => ({ pkg: k, ms, pct })),
    byServerFrame: rank(owner, top).map(({ k, ms, pct }) => ({ fn: k, ms, pct })),
    probes: PROBES.map((pr) => ({
      name: pr.name,
      ms: probe.get(pr.name) ?? 0,
      pct: total > 0 ? ((probe.get(pr.name) ?? 0) / total) * 100 : 0,
    })),
  };
}

export function profileText(s: ProfileSummary, title: string): string {
  const pct = (x: number) => `${x.toFixed(1).padStart(5)}%`;
  return [
    `${title}: ${(s.totalMs / 1000).toFixed(1)} s busy, ${(s.idleMs / 1000).toFixed(1)} s idle; shares of busy time`,
    '  top self time:',
    ...s.self.map((r) => `    ${pct(r.pct)}  ${r.fn}`),
    '  self time by package / module:',
    ...s.byPackage.map((r) => `    ${pct(r.pct)}  ${r.pkg}`),
    '  charged to the innermost function of ours on the stack:',
    ...s.byServerFrame.map((r) => `    ${pct(r.pct)}  ${r.fn}`),
    '  inclusive time of known costs:',
    ...s.probes.filter((r) => r.ms > 0).map((r) => `    ${pct(r.pct)}  ${r.name}`),
  ].join('\n');
}

/** The main thread's profile: --cpu-prof writes one file per thread, the main one is the largest. */
export function loadProfile(dir: string): CpuProfile {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => ({ f, size: statSync(join(dir, f)).size }))
    .sort((a, b) => b.size - a.size);
  if (!files[0]) throw new Error(`no .cpuprofile in ${dir}`);
  return JSON.parse(readFileSync(join(dir, files[0].f), 'utf8')) as CpuProfile;
}

// `node --import tsx bench/src/report/profile.ts <dir-or-file> [fromMs toMs]`
if (process.argv[1]?.endsWith('report/profile.ts')) {
  const [path, from, to] = process.argv.slice(2);
  if (!path) throw new Error('usage: profile.ts <dir|file.cpuprofile> [fromMs toMs]');
  const p = path.endsWith('.cpuprofile')
    ? (JSON.parse(readFileSync(path, 'utf8')) as CpuProfile)
    : loadProfile(path);
  const windows = from && to ? [{ fromMs: Number(from), toMs: Number(to) }] : [];
  console.log(profileText(summarizeProfile(p, windows, 30), path));
}
