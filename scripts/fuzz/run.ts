/**
 * Long fuzz runs (issue "Hardening: limits, fuzzing, floods and faults").
 *
 *   node --import tsx scripts/fuzz/run.ts --cases 1000000              decoder, then a 60 s live run
 *   node --import tsx scripts/fuzz/run.ts --cases 0 --seconds 300 --sockets 50    live run only
 *   node --import tsx scripts/fuzz/run.ts --cases 200000 --seconds 0   decoder only
 *
 * 1. Decoder: the properties of server/test/hardening/decoder.fuzz.test.ts (R-HARD-1..4), split
 *    evenly over `--cases` cases.
 * 2. Live: a server started as a child process (PGlite, or `--database-url`); `--sockets`
 *    connections (a third before login, the rest logged in) send random and mutated frames for
 *    `--seconds` seconds and reconnect when closed. Each answer is judged by the oracle of
 *    R-HARD-5/6 (lib/oracle.ts). Every 2 s /healthz must answer 200, a logged-in bystander must
 *    be served, and the server's RSS is sampled; it must not keep growing.
 *
 * `--seed` replays a run. Prints the cases run and the failures found; exits 1 if there were any.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { decoderProperties } from '../../server/test/support/decoder-properties';
import { runLiveFuzz } from '../../server/test/support/live-fuzz';

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '60' },
    sockets: { type: 'string', default: '50' },
    seed: { type: 'string' },
    'database-url': { type: 'string' },
  },
});
const cases = Number(args.cases);
const seconds = Number(args.seconds);
const seed = args.seed === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(args.seed);
let failures = 0;

if (cases > 0) {
  const props = decoderProperties();
  const per = Math.ceil(cases / props.length);
  console.log(`decoder: ${props.length} properties x ${per} cases, seed ${seed}`);
  let total = 0;
  for (const p of props) {
    const started = Date.now();
    const d = p.check({ numRuns: per, seed });
    total += d.numRuns;
    const s = ((Date.now() - started) / 1000).toFixed(1);
    if (d.failed) {
      failures++;
      console.log(`  FAIL ${p.name} after ${d.numRuns} cases (${s} s)\n${fc.defaultReportMessage(d)}`);
    } else {
      console.log(`  ok   ${p.name}: ${d.numRuns} cases in ${s} s`);
    }
  }
  console.log(`decoder: ${total} cases run, ${failures} failing properties`);
}

if (seconds > 0) {
  const r = await runLiveFuzz({
    seconds,
    sockets: Number(args.sockets),
    seed,
    ...(args['database-url'] ? { databaseUrl: args['database-url'] } : {}),
    log: (line) => console.log(line),
  });
  failures += r.problems.length;
}

console.log(failures === 0 ? 'no failures' : `${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);
