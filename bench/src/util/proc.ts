import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU and memory of another process from /proc (Linux): the server under test and the load
 * generators are separate processes, so each is measured on its own without touching its code.
 */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process, in ms of CPU. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLK_TCK;
}

/**
 * Time the process's main thread spent runnable but waiting for a CPU, in ms (second field of
 * /proc/<pid>/schedstat, ns). High values mean neighbours, not the process, set the pace.
 */
export function runQueueWaitMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return 0;
  }
}

/** Resident set size in bytes (VmRSS), or NaN once the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface Usage {
  /** CPU time over wall time, 100 = one core busy. */
  cpuPct: number;
  cpuMs: number;
  /** Share of the window the main thread(s) waited for a CPU while runnable, %. */
  waitPct: number;
  wallMs: number;
  rssEndBytes: number;
  rssPeakBytes: number;
}

/** Samples a set of processes over a window: CPU by difference, RSS peak every 250 ms. */
export class UsageWindow {
  private readonly t0 = performance.now();
  private readonly cpu0: number;
  private readonly wait0: number;
  private peak = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly pids: readonly number[]) {
    this.cpu0 = this.cpuNow();
    this.wait0 = this.waitNow();
    this.sampleRss();
    this.timer = setInterval(() => this.sampleRss(), 250);
  }

  private cpuNow(): number {
    let t = 0;
    for (const pid of this.pids) t += cpuMs(pid);
    return t;
  }

  private waitNow(): number {
    let t = 0;
    for (const pid of this.pids) t += runQueueWaitMs(pid);
    return t;
  }

  private rssNow(): number {
    let t = 0;
    for (const pid of this.pids) t += rssBytes(pid);
    return t;
  }

  private sampleRss(): void {
    this.peak = Math.max(this.peak, this.rssNow());
  }

  /** CPU so far, without ending the window (progress line). */
  cpuPctSoFar(): number {
    return ((this.cpuNow() - this.cpu0) / (performance.now() - this.t0)) * 100;
  }

  end(): Usage {
    clearInterval(this.timer);
    this.sampleRss();
    const wallMs = performance.now() - this.t0;
    const used = this.cpuNow() - this.cpu0;
    return {
      cpuPct: (used / wallMs) * 100,
      cpuMs: used,
      waitPct: ((this.waitNow() - this.wait0) / wallMs) * 100,
      wallMs,
      rssEndBytes: this.rssNow(),
      rssPeakBytes: this.peak,
    };
  }
}
