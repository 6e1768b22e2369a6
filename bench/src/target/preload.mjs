/**
 * Loaded (with --import) into every server under test, never into production: it lets the bench
 * run a full GC and read the heap over the IPC channel, so that "memory per idle session" is
 * measured after garbage has settled, the same way for our server and the baselines. Plain
 * JavaScript, so that our server (a built bundle) runs without tsx, as in production.
 */
const runGc = globalThis.gc;

process.on('message', (m) => {
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
