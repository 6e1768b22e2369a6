import { startServer } from './app';
import { createLogger, installCrashPolicy, loadConfig } from './core';
import { assertNativeUws } from './net';

/** Entry point: configuration from the environment; SIGTERM/SIGINT drain to other nodes, then exit. */
let server: Awaited<ReturnType<typeof startServer>>;
try {
  assertNativeUws(); // before the database opens: refusing should be quick and touch nothing
  const config = loadConfig();
  installCrashPolicy(createLogger(config.LOG_LEVEL, { role: 'process' }));
  server = await startServer({ config });
} catch (err) {
  // A refusal to start (bad configuration, no native uWS, port taken) is one clear line, exit 1.
  console.error(`IM World could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
console.log(`\n  IM World is running: ${server.httpUrl}\n  WebSocket endpoint: ${server.wsUrl}\n`);

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) process.exit(1);
    stopping = true;
    (async () => {
      // R-CLU-32: users move to other nodes (if any) before this one goes away.
      const r = await server.drain().catch(() => ({ moved: 0, remaining: -1 }));
      if (r.moved > 0) console.log(`  moved ${r.moved} sessions to other nodes`);
      await server.close();
    })().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
