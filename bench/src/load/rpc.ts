import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Main ⇄ worker messages over the fork IPC channel. */
interface Call {
  id: number;
  cmd: string;
  args: unknown;
}
interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** A load-generator process; calls are plain request/response over IPC. */
export class Worker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly child: ChildProcess;

  /** `script`: another checkout's worker drives that checkout's server with its own SDK. */
  constructor(
    readonly index: number,
    script = WORKER,
  ) {
    // Inherits `--import tsx` from this process's execArgv.
    this.child = fork(script, [String(index)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(`worker ${index}: ${m.error}`));
    });
    this.child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`worker ${index} exited (${code})`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  call<T>(cmd: string, args: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, cmd, args } satisfies Call);
    });
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

/** The worker side: answers calls with the given command table. */
export function serve(commands: Record<string, (args: unknown) => unknown>): void {
  process.on('message', (m: Call) => {
    const fn = commands[m.cmd];
    const reply = (r: Omit<Reply, 'id'>) => process.send?.({ id: m.id, ...r } satisfies Reply);
    if (!fn) {
      reply({ ok: false, error: `unknown command ${m.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => fn(m.args))
      .then(
        (value) => reply({ ok: true, value }),
        (e: unknown) => reply({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
      );
  });
}
