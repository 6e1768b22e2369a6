import type { Logger } from './logger';

/**
 * Exit code for an error nobody caught (EX_SOFTWARE from sysexits.h): distinct from a start-up
 * failure (1) so a supervisor's log says which it was.
 */
export const CRASH_EXIT_CODE = 70;

interface ProcessLike {
  on(event: 'uncaughtException', listener: (err: Error, origin: string) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  exit(code: number): unknown;
}

/**
 * What the process does with an error nobody caught: log it with its origin, then exit non-zero
 * so the supervisor starts a clean process. Staying up after an unknown throw risks a half-alive
 * node (a timer or a flush loop gone, sessions bound to dead sockets) that still answers
 * /healthz; a restart costs users one resume (security review H1).
 */
export function installCrashPolicy(log: Logger, proc: ProcessLike = process): void {
  const die = (err: unknown, origin: string) => {
    try {
      log.fatal({ err, origin }, 'uncaught error; exiting so the supervisor restarts this node');
      log.flush?.();
    } finally {
      proc.exit(CRASH_EXIT_CODE);
    }
  };
  proc.on('uncaughtException', (err, origin) => die(err, origin));
  proc.on('unhandledRejection', (reason) => die(reason, 'unhandledRejection'));
}
