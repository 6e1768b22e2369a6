import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { cpuMs } from '../util/proc';

export type DbKind = 'pglite' | 'postgres';

/**
 * A scratch PostgreSQL database for one server run (each run registers the same usernames), and
 * the CPU of the backends serving it: with PostgreSQL the database's work is in other processes,
 * so the server's own CPU alone would flatter it next to PGlite, which runs inside the server.
 */
export class ScratchDatabase {
  private readonly admin: postgres.Sql;

  private constructor(
    adminUrl: string,
    readonly name: string,
    readonly url: string,
  ) {
    this.admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  }

  static async create(adminUrl: string): Promise<ScratchDatabase> {
    const name = `imw_bench_${randomBytes(6).toString('hex')}`;
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const db = new ScratchDatabase(adminUrl, name, url.toString());
    await db.admin.unsafe(`CREATE DATABASE ${name}`);
    return db;
  }

  /** Backend processes connected to this database now (the server's pool after its start). */
  async backendPids(): Promise<number[]> {
    const rows = await this.admin<Array<{ pid: number }>>`
      select pid from pg_stat_activity where datname = ${this.name}`;
    return rows.map((r) => r.pid);
  }

  async drop(): Promise<void> {
    await this.admin.unsafe(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
    await this.admin.end();
  }
}

/** CPU ms of a set of backends over a window; a backend that has gone counts what it had used. */
export class BackendCpu {
  private readonly last = new Map<number, number>();
  private readonly start: number;

  constructor(private readonly pids: readonly number[]) {
    this.start = this.read();
  }

  private read(): number {
    let t = 0;
    for (const pid of this.pids) {
      try {
        this.last.set(pid, cpuMs(pid));
      } catch {
        // gone: keep its last reading
      }
      t += this.last.get(pid) ?? 0;
    }
    return t;
  }

  /** CPU ms used since the window started. */
  usedMs(): number {
    return this.read() - this.start;
  }
}
