import { parseArgs } from 'node:util';
import type { DbKind } from './target/database';
import { TARGETS, type TargetName } from './target/specs';

export const SCENARIOS = ['login', 'idle', 'chat', 'fanout', 'scene', 'history'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Options {
  quick: boolean;
  scenarios: ScenarioName[];
  targets: TargetName[];
  /** Checkout of the 'base' target: our server at another commit (e.g. before a change). */
  baseDir: string | null;
  /** Databases our server runs on; 'postgres' makes a scratch database per server start. */
  dbs: DbKind[];
  /** PostgreSQL URL the scratch databases are created through (DATABASE_URL). */
  adminDatabaseUrl: string | null;
  /** Rounds of our server and the base, alternating which goes first (noisy machines). */
  repeat: number;
  workers: number;
  /** Overrides every scenario's client count when set. */
  clients: number | null;
  logins: number;
  idleSessions: number;
  chatClients: number;
  chatRate: number;
  fanoutClients: number;
  groupSize: number;
  /** Per-member send rates of the fan-out ramp (msg/s); one value = a single step. */
  fanoutRates: number[];
  sceneId: string;
  scenePlayers: number;
  moveRate: number;
  /** Chance per step that a scene player stops for 2 s (bubbles form); 0 = always walking. */
  scenePause: number;
  stepPx: number;
  /** History: friends of the reader; offline messages (half direct, half in one group). */
  historyFriends: number;
  historyMessages: number;
  /** Login syncs measured, one after another. */
  historyRounds: number;
  pageConcurrency: number;
  pageLimit: number;
  messageBytes: number;
  warmupSec: number;
  durationSec: number;
  drainSec: number;
  /** Longest wait for late deliveries after a step. */
  drainMaxSec: number;
  p99BoundMs: number;
  profile: boolean;
  outDir: string;
  /** Re-render the table, verdicts, JSON and chart of a saved run instead of running. */
  from: string | null;
}

const HELP = `npm run bench -- [options]
  --quick                 small and short (under 2 minutes)
  --scenario a,b          ${SCENARIOS.join(',')} (default: all)
  --targets a,b           servers for the fan-out comparison: ${TARGETS.join(',')} (default: all;
                          base only with --base-dir)
  --base-dir DIR          checkout of the 'base' target: our server at another commit, run side by side
                          (git worktree add --detach DIR <commit>; pnpm install --offline there)
  --db a,b                pglite,postgres (default pglite; postgres when DATABASE_URL is set): postgres
                          creates a scratch database through DATABASE_URL per server start
  --repeat N              rounds of ours and base, alternating which starts (default 1)
  --workers N             load-generator processes (default 3)
  --clients N             client count for every scenario (overrides the per-scenario defaults)
  --logins N              login storm size
  --idle-sessions N       idle logged-in sessions
  --chat-clients N        1:1 chat clients (pairs = N/2)      --chat-rate R   msg/s per client
  --fanout-clients N      fan-out clients (groups = N/M)      --group-size M
  --rate R | --rates a,b  fan-out per-member msg/s: one step, or a ramp
  --scene ID              scene to walk in (default plaza)   --scene-players N  --move-rate R
  --scene-pause P         chance per step of stopping 2 s, so bubbles form (default 0)
  --history-friends N     friends writing to the offline reader (default 10)
  --history-messages N    offline messages, half direct and half in a group (default 1000, quick 400)
  --history-rounds N      login syncs measured (default 5, quick 3)
  --page-concurrency N    history pages in flight (default 16)   --page-limit N  (default 50)
  --size BYTES            message text size (default 64)
  --warmup S --duration S --drain S   seconds per measured step
  --p99-bound MS          latency bound for the fan-out capacity comparison (default 100)
  --profile               run our server under --cpu-prof and summarise the hottest functions
  --out DIR               results folder (default bench/results)
  --from FILE             re-render a saved run's report (recomputes the summary; runs nothing)`;

export function parseOptions(argv: string[]): Options {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean' },
      quick: { type: 'boolean' },
      scenario: { type: 'string' },
      targets: { type: 'string' },
      'base-dir': { type: 'string' },
      db: { type: 'string' },
      repeat: { type: 'string' },
      'history-friends': { type: 'string' },
      'history-messages': { type: 'string' },
      'history-rounds': { type: 'string' },
      'page-concurrency': { type: 'string' },
      'page-limit': { type: 'string' },
      workers: { type: 'string' },
      clients: { type: 'string' },
      logins: { type: 'string' },
      'idle-sessions': { type: 'string' },
      'chat-clients': { type: 'string' },
      'chat-rate': { type: 'string' },
      'fanout-clients': { type: 'string' },
      'group-size': { type: 'string' },
      rate: { type: 'string' },
      rates: { type: 'string' },
      scene: { type: 'string' },
      'scene-players': { type: 'string' },
      'move-rate': { type: 'string' },
      'scene-pause': { type: 'string' },
      'step-px': { type: 'string' },
      size: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      drain: { type: 'string' },
      'p99-bound': { type: 'string' },
      profile: { type: 'boolean' },
      out: { type: 'string' },
      from: { type: 'string' },
    },
  });
  if (v.help) {
    console.log(HELP);
    process.exit(0);
  }
  const quick = v.quick ?? false;
  const num = (s: string | undefined, full: number, q: number) => {
    if (s === undefined) return quick ? q : full;
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${s}\n\n${HELP}`);
    return n;
  };
  const list = <T extends string>(s: string | undefined, all: readonly T[]): T[] => {
    if (!s) return [...all];
    const names = s.split(',').map((x) => x.trim());
    for (const n of names) if (!all.includes(n as T)) throw new Error(`unknown name ${n}\n\n${HELP}`);
    return names as T[];
  };
  const clients = v.clients === undefined ? null : num(v.clients, 0, 0);
  const rates = v.rate ?? v.rates;
  const baseDir = v['base-dir'] ?? null;
  const targets = list(v.targets, baseDir ? TARGETS : TARGETS.filter((t) => t !== 'base'));
  if (targets.includes('base') && !baseDir) throw new Error(`target base needs --base-dir\n\n${HELP}`);
  const adminDatabaseUrl = process.env.DATABASE_URL || null;
  const dbs = list(v.db ?? (adminDatabaseUrl ? 'postgres' : 'pglite'), ['pglite', 'postgres'] as const);
  if (dbs.includes('postgres') && !adminDatabaseUrl)
    throw new Error(`--db postgres needs DATABASE_URL (e.g. postgres://root@127.0.0.1:5432/test)\n\n${HELP}`);
  return {
    quick,
    scenarios: list(v.scenario, SCENARIOS),
    targets,
    baseDir,
    dbs,
    adminDatabaseUrl,
    repeat: Math.max(1, num(v.repeat, 1, 1)),
    workers: num(v.workers, 3, 3),
    clients,
    logins: clients ?? num(v.logins, 3000, 600),
    idleSessions: clients ?? num(v['idle-sessions'], 10_000, 1000),
    chatClients: clients ?? num(v['chat-clients'], 1000, 200),
    chatRate: num(v['chat-rate'], 2, 2),
    fanoutClients: clients ?? num(v['fanout-clients'], 1000, 200),
    groupSize: num(v['group-size'], 20, 20),
    fanoutRates: rates ? rates.split(',').map(Number) : quick ? [1, 8] : [0.25, 0.5, 1, 2, 4, 8, 16, 32],
    sceneId: v.scene ?? 'plaza',
    scenePlayers: clients ?? num(v['scene-players'], 1000, 200),
    moveRate: num(v['move-rate'], 5, 5),
    scenePause: Number(v['scene-pause'] ?? 0),
    stepPx: num(v['step-px'], 30, 30),
    historyFriends: Math.max(1, num(v['history-friends'], 10, 10)),
    historyMessages: num(v['history-messages'], 1000, 400),
    historyRounds: Math.max(1, num(v['history-rounds'], 5, 3)),
    pageConcurrency: Math.max(1, num(v['page-concurrency'], 16, 16)),
    pageLimit: Math.min(200, Math.max(1, num(v['page-limit'], 50, 50))),
    messageBytes: num(v.size, 64, 64),
    warmupSec: num(v.warmup, 2, 1),
    durationSec: num(v.duration, 8, 3),
    drainSec: num(v.drain, 1.5, 1),
    drainMaxSec: quick ? 5 : 20,
    p99BoundMs: num(v['p99-bound'], 100, 100),
    profile: v.profile ?? false,
    outDir: v.out ?? 'bench/results',
    from: v.from ?? null,
  };
}
