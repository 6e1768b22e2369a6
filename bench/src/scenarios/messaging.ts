import { type Bench, fmt, type Row } from '../context';
import type { TargetName } from '../target/specs';
import { bucketQuantile, scrapeCounter, scrapeHistogram } from '../util/prom';
import { measureStep, setupLoad } from './measure';
import { waitQuiet } from './sessions';

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

function failedRow(scenario: Row['scenario'], target: TargetName, label: string, reason: string): Row {
  return { scenario, target, label, status: 'unavailable', note: reason };
}

/** 1:1 chat between pairs of friends, each sending `chatRate` msg/s. */
export async function chat(bench: Bench, firstAccount: number): Promise<void> {
  const { opts } = bench;
  const url = bench.serverOrThrow.wsUrl;
  const parts = bench.split(range(firstAccount, opts.chatClients), 2);
  const n = parts.flat().length;
  const label = `${fmt(n / 2)} pairs, ${opts.chatRate} msg/s each way`;
  bench.progress(`  chat: logging in ${n} clients and making friends…`, true);
  await waitQuiet(bench);
  await setupLoad(bench, 'imw-chat', (k) => ({ url, indices: parts[k], size: opts.messageBytes }));
  const {
    raw: _raw,
    windowSec: _w,
    ...row
  } = await measureStep(bench, {
    scenario: 'chat',
    target: 'imw',
    label,
    rate: opts.chatRate,
    actors: n,
  });
  bench.add(row);
  await bench.all('load.teardown');
}

/**
 * Group fan-out on one server: a ramp of per-member rates, stopping once the server saturates.
 * Every step becomes a row.
 */
export async function fanout(bench: Bench, target: TargetName, firstAccount: number): Promise<void> {
  const { opts } = bench;
  const m = opts.groupSize;
  const url = bench.serverOrThrow.wsUrl;
  const parts = bench.split(range(firstAccount, opts.fanoutClients), m);
  const n = parts.flat().length;
  bench.progress(`  fanout ${target}: connecting ${n} clients in groups of ${m}…`, true);
  const ours = target === 'imw' || target === 'base';
  if (ours) await waitQuiet(bench);
  const setup = ours
    ? await setupLoad(bench, 'imw-fanout', (k) => ({
        url,
        indices: parts[k],
        size: opts.messageBytes,
        groupSize: m,
      }))
    : await setupLoad(bench, target === 'uws' ? 'uws-fanout' : 'socketio-fanout', (k) => ({
        url,
        clients: parts[k]!.length,
        groupSize: m,
        size: opts.messageBytes,
        firstGroup: 1 + k * 100_000,
      }));
  if (!setup.ok) {
    bench.add(failedRow('fanout', target, `${n} clients`, setup.reason));
    return;
  }
  for (const rate of opts.fanoutRates) {
    const {
      raw,
      windowSec: _w,
      ...row
    } = await measureStep(bench, {
      scenario: 'fanout',
      target,
      label: `${fmt(n)} clients, groups of ${m}, ${rate} msg/s each`,
      rate,
      actors: n,
    });
    row.extra = { ...row.extra, ratePerMember: rate, groupSize: m };
    bench.add(row);
    // A step over the p99 bound does not count toward capacity (see report/compare.ts), but on a
    // shared machine one noisy step should not end the ramp: stop only once the server (or the
    // generator) is clearly saturated.
    const saturated =
      (row.latency?.p99 ?? 0) > 5 * opts.p99BoundMs ||
      (row.losses?.pct ?? 0) > 1 ||
      raw.unsent > 0 ||
      raw.disconnects > 0;
    if (saturated) break;
  }
  await bench.all('load.teardown');
}

/** The server's bubble counters (#19): changes announced and the time spent on them. */
async function bubbleFigures(httpUrl: string): Promise<{ changes: number; seconds: number }> {
  return {
    changes: await scrapeCounter(httpUrl, 'imw_scene_bubble_changes_total'),
    seconds: await scrapeCounter(httpUrl, 'imw_scene_bubble_seconds_total'),
  };
}

/** Scene walking: every player moves `moveRate` times a second in one scene. */
export async function scene(bench: Bench, firstAccount: number): Promise<void> {
  const { opts } = bench;
  const url = bench.serverOrThrow.wsUrl;
  const parts = bench.split(range(firstAccount, opts.scenePlayers));
  const n = opts.scenePlayers;
  const label = `${fmt(n)} players in ${opts.sceneId}, ${opts.moveRate} moves/s each`;
  bench.progress(`  scene: logging in ${n} players…`, true);
  await waitQuiet(bench);
  const setup = await setupLoad(bench, 'imw-scene', (k) => ({
    url,
    indices: parts[k],
    sceneId: opts.sceneId,
    spawns: opts.sceneId === 'plaza' ? ['default', 'fromPark', 'cafe'] : [],
    stepPx: opts.stepPx,
    pause: opts.scenePause,
  }));
  if (!setup.ok) {
    bench.add(failedRow('scene', 'imw', label, setup.reason));
    await bench.all('load.teardown');
    return;
  }
  // The server's own part of the latency (move accepted → tick), from its metrics, over the step.
  const DELAY = 'imw_scene_view_delay_seconds';
  const httpUrl = bench.serverOrThrow.httpUrl;
  const delayBefore = await scrapeHistogram(httpUrl, DELAY);
  const bubblesBefore = await bubbleFigures(httpUrl);
  const { raw, windowSec, ...row } = await measureStep(bench, {
    scenario: 'scene',
    target: 'imw',
    label,
    rate: opts.moveRate,
    actors: n,
  });
  const movesPerSec = raw.acked / windowSec;
  const delayAfter = await scrapeHistogram(httpUrl, DELAY);
  const serverP50Ms = bucketQuantile(delayBefore, delayAfter, 0.5) * 1000;
  const serverP99Ms = bucketQuantile(delayBefore, delayAfter, 0.99) * 1000;
  const bubblesAfter = await bubbleFigures(httpUrl);
  const bubbleChanges = bubblesAfter.changes - bubblesBefore.changes;
  const usPerBubbleChange =
    bubbleChanges > 0 ? ((bubblesAfter.seconds - bubblesBefore.seconds) * 1e6) / bubbleChanges : 0;
  row.extra = {
    ...row.extra,
    movesPerSec,
    serverDelayP50LeMs: serverP50Ms,
    serverDelayP99LeMs: serverP99Ms,
    bubbleChangesPerSec: bubbleChanges / windowSec,
    usPerBubbleChange,
  };
  delete row.losses;
  row.note = [
    `${fmt(movesPerSec)} moves processed/s`,
    `server's part (move accepted → tick, ${DELAY}): p50 ≤ ${fmt(serverP50Ms)} ms, p99 ≤ ${fmt(serverP99Ms)} ms`,
    bubbleChanges > 0
      ? `${fmt(bubbleChanges / windowSec)} bubble changes/s, ${fmt(usPerBubbleChange)} µs of server time each`
      : '',
    row.note,
  ]
    .filter(Boolean)
    .join('; ');
  bench.add(row);
  await bench.all('load.teardown');
}
