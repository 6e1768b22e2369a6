/**
 * Micro-benchmark of the message store's append path (#13), without sockets or protocol: N
 * messages over M group conversations, C concurrent writers each awaiting its ack before its
 * next send (so at most C appends are pending and the store batches them per event-loop turn).
 * Prints messages/s, this process's CPU per message (on PGlite that includes the database, which
 * runs in-process), the PostgreSQL backends' CPU per message, and the average batch size.
 *
 *   node --import tsx bench/src/store/append.ts [--messages 20000] [--convs 100] [--concurrency 64]
 *     [--db pglite|postgres|both]       (postgres needs DATABASE_URL, e.g. postgres://root@127.0.0.1:5432/test)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupConv } from '@imw/shared';
import postgres from 'postgres';
import { type Database, openDatabase, tables } from '../../../server/src/db';
import { MessageStore } from '../../../server/src/messaging/store';
import { cpuMs } from '../util/proc';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? def) : def;
};
const MESSAGES = Number(arg('messages', '20000'));
const CONVS = Number(arg('convs', '100'));
const CONCURRENCY = Number(arg('concurrency', '64'));
const WARMUP = Math.min(2000, MESSAGES);
const SENDERS = 32;
const PG_URL = process.env.DATABASE_URL;
const DBS = arg('db', PG_URL ? 'both' : 'pglite');

interface Result {
  db: string;
  msgPerSec: number;
  cpuUsPerMsg: number;
  dbCpuUsPerMsg: number | null;
  avgBatch: number;
}

const processCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** One owner, SENDERS users and CONVS groups (the foreign keys need them). */
async function seed(db: Database): Promise<{ senders: number[]; convs: string[] }> {
  const salt = new Uint8Array(16);
  const key = new Uint8Array(32);
  const users = await db.db
    .insert(tables.users)
    .values(
      Array.from({ length: SENDERS }, (_, i) => ({
        username: `bench${i}`,
        displayName: `Bench ${i}`,
        scramSalt: salt,
        scramIterations: 4096,
        scramStoredKey: key,
        scramServerKey: key,
      })),
    )
    .returning({ id: tables.users.id });
  const owner = users[0]!.id;
  const groups = await db.db
    .insert(tables.groups)
    .values(Array.from({ length: CONVS }, (_, i) => ({ name: `g${i}`, ownerId: owner })))
    .returning({ id: tables.groups.id });
  return { senders: users.map((u) => u.id), convs: groups.map((g) => groupConv(g.id)) };
}

/** C writers, each sending its share in turn and awaiting every ack. */
async function drive(store: MessageStore, senders: number[], convs: string[], n: number, offset: number) {
  let next = 0;
  const writer = async () => {
    for (let i = next++; i < n; i = next++) {
      const k = offset + i;
      await store.append({
        conv: convs[k % convs.length]!,
        senderId: senders[k % senders.length]!,
        clientId: `m${k}`,
        text: `message ${k} with some ordinary chat text`,
        atMs: Date.now(),
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, writer));
}

async function run(kind: 'pglite' | 'postgres'): Promise<Result> {
  let statements = 0;
  const logQuery = () => {
    statements++;
  };
  let cleanup: () => Promise<void> = async () => {};
  let backendPids = async (): Promise<number[]> => [];
  let db: Database;
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'imw-bench-store-'));
    db = await openDatabase({ dataDir: dir, logQuery });
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    if (!PG_URL) throw new Error('DATABASE_URL is not set');
    const name = `imw_bench_${randomBytes(6).toString('hex')}`;
    const admin = postgres(PG_URL, { max: 1, onnotice: () => undefined });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    db = await openDatabase({ url: url.toString(), logQuery });
    backendPids = async () =>
      (await admin<Array<{ pid: number }>>`select pid from pg_stat_activity where datname = ${name}`).map(
        (r) => r.pid,
      );
    cleanup = async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  try {
    const { senders, convs } = await seed(db);
    const store = new MessageStore(db.db);
    await drive(store, senders, convs, WARMUP, 0);
    // PostgreSQL: the backends serving this database (its connections exist after the warm-up).
    const backends = await backendPids();
    const dbCpu = () => backends.reduce((s, pid) => s + cpuMs(pid), 0);
    statements = 0;
    const [t0, c0, d0] = [performance.now(), processCpuMs(), dbCpu()];
    await drive(store, senders, convs, MESSAGES, WARMUP);
    const [t1, c1, d1] = [performance.now(), processCpuMs(), dbCpu()];
    const last = await store.history(convs[0]!, { limit: 1 });
    const expectedLast = Math.ceil((WARMUP + MESSAGES) / convs.length);
    if (last.messages[0]?.seq !== expectedLast)
      throw new Error(`conversation 0 ends at seq ${last.messages[0]?.seq}, expected ${expectedLast}`);
    return {
      db: kind,
      msgPerSec: (MESSAGES * 1000) / (t1 - t0),
      cpuUsPerMsg: ((c1 - c0) * 1000) / MESSAGES,
      dbCpuUsPerMsg: kind === 'postgres' ? ((d1 - d0) * 1000) / MESSAGES : null,
      avgBatch: MESSAGES / statements,
    };
  } finally {
    await db.close();
    await cleanup();
  }
}

const kinds = DBS === 'both' ? (['pglite', 'postgres'] as const) : ([DBS as 'pglite' | 'postgres'] as const);
console.log(`store append: ${MESSAGES} messages, ${CONVS} conversations, concurrency ${CONCURRENCY}`);
for (const kind of kinds) {
  const r = await run(kind);
  console.log(
    `${r.db.padEnd(9)} ${r.msgPerSec.toFixed(0).padStart(7)} msg/s  ` +
      `node CPU ${r.cpuUsPerMsg.toFixed(1).padStart(6)} µs/msg  ` +
      `db CPU ${r.dbCpuUsPerMsg === null ? '  (in-process)' : `${r.dbCpuUsPerMsg.toFixed(1).padStart(6)} µs/msg`}  ` +
      `avg batch ${r.avgBatch.toFixed(1)}`,
  );
}
