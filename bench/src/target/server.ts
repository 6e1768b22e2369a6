import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rssBytes } from '../util/proc';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./preload.mjs', import.meta.url));

export interface ServerSpec {
  /** 'imw' (ours), 'uws' or 'socketio'. */
  name: string;
  /** Script path relative to `cwd` (.ts runs through tsx). */
  script: string;
  /** Checkout the script runs from (default: this repository). */
  cwd?: string;
  env: Record<string, string>;
  /** Matches the line that announces readiness; group 1 is the URL. */
  ready: RegExp;
  toWsUrl(url: string): string;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

export interface LogDigest {
  warnings: number;
  errors: number;
  /** The first few distinct warning/error messages. */
  samples: string[];
}

/**
 * A server under test, run as a child process so that its CPU and memory can be read from /proc
 * apart from the load generators'.
 */
export class ServerChild {
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly startedAtMs: number;
  private readonly digest: LogDigest = { warnings: 0, errors: 0, samples: [] };
  private exited: Promise<number | null>;

  private constructor(
    readonly spec: ServerSpec,
    private readonly child: ChildProcess,
    url: string,
    startedAtMs: number,
    exited: Promise<number | null>,
  ) {
    this.httpUrl = url;
    this.wsUrl = spec.toWsUrl(url);
    this.startedAtMs = startedAtMs;
    this.exited = exited;
    this.child.stdout?.on('data', (b: Buffer) => this.scan(b.toString()));
    this.child.stderr?.on('data', (b: Buffer) => this.scan(b.toString()));
  }

  static async start(spec: ServerSpec, timeoutMs = 90_000): Promise<ServerChild> {
    const startedAtMs = Date.now();
    // tsx only for a TypeScript entry (the baselines, a profiled run); the built bundle is plain JS.
    const tsx = spec.script.endsWith('.ts') ? ['--import', 'tsx'] : [];
    const child = spawn(
      process.execPath,
      ['--expose-gc', ...tsx, '--import', PRELOAD, ...(spec.nodeFlags ?? []), spec.script],
      {
        cwd: spec.cwd ?? REPO_ROOT,
        env: { ...process.env, ...spec.env },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${spec.name} did not start:\n${output}`)), timeoutMs);
      const onData = (b: Buffer) => {
        output += b.toString();
        const m = spec.ready.exec(output);
        if (m?.[1]) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          resolve(m[1]);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (b: Buffer) => {
        output += b.toString();
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${spec.name} exited with ${code} before it was ready:\n${output}`));
      });
    });
    return new ServerChild(spec, child, url, startedAtMs, exited);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get rss(): number {
    return rssBytes(this.pid);
  }

  get logDigest(): LogDigest {
    return { ...this.digest, samples: [...this.digest.samples] };
  }

  /** Pino writes JSON lines: level 40 is warn, 50 and up error/fatal. */
  private scan(text: string): void {
    for (const line of text.split('\n')) {
      const m = /"level":(\d+)/.exec(line);
      const level = m ? Number(m[1]) : /error|warn/i.test(line) ? 50 : 0;
      if (level < 40) continue;
      if (level >= 50) this.digest.errors++;
      else this.digest.warnings++;
      const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 200);
      if (this.digest.samples.length < 8 && !this.digest.samples.includes(msg)) this.digest.samples.push(msg);
    }
  }

  /** Full GC in the child, then its RSS and heap. */
  async settle(): Promise<{ rssBytes: number; heapUsedBytes: number }> {
    const memory = await new Promise<NodeJS.MemoryUsage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('gc request timed out')), 30_000);
      const onMsg = (m: { type?: string; memory?: NodeJS.MemoryUsage }) => {
        if (m?.type !== 'gc-done' || !m.memory) return;
        clearTimeout(timer);
        this.child.off('message', onMsg);
        resolve(m.memory);
      };
      this.child.on('message', onMsg);
      this.child.send({ type: 'gc' });
    });
    return { rssBytes: this.rss, heapUsedBytes: memory.heapUsed };
  }

  /** SIGTERM (graceful; lets --cpu-prof write its file), SIGKILL after a grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
