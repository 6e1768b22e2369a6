/**
 * Loaded (with --import) into every server under test, never into production: it lets the bench
 * run a full GC and read the heap over the IPC channel, so that "memory per idle session" is
 * measured after garbage has settled, the same way for our server and the baselines.
 */
interface GcRequest {
  type: 'gc';
}

const runGc = (globalThis as { gc?: () => void }).gc;

process.on('message', (m: GcRequest) => {
  if (m?.type !== 'gc') return;
  runGc?.();
  // A second pass after a pause picks up what finalizers and weak references released.
  setTimeout(() => {
    runGc?.();
    setTimeout(() => process.send?.({ type: 'gc-done', memory: process.memoryUsage() }), 300);
  }, 300);
});
// The IPC channel must not keep a server alive that wants to exit.
process.channel?.unref();

export {};
