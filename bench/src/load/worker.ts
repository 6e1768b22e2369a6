import type { ImClient } from '@imw/shared/sdk';
import { Histogram } from '../util/hist';
import { BENCH_PASSWORD, loggedIn, newClient, pool, registerRange, usernameOf } from './imw-client';
import { PageLoad, type PagesArgs, type SeedArgs, seedHistory, syncOnce } from './imw-history';
import { ImwChatLoad, ImwFanoutLoad } from './imw-loads';
import { ImwSceneLoad, SceneUnavailable } from './imw-scene';
import type { MessageLoad } from './message-load';
import { nowMs } from './message-load';
import { SocketIoRelayLoad, UwsRelayLoad } from './relay-loads';
import { serve } from './rpc';

/**
 * A load-generator process. Main drives it through the commands below; the message scenarios
 * share one protocol (setup → start → mark → stop → collect → teardown).
 */
const LOADS = {
  'imw-chat': () => new ImwChatLoad(),
  'imw-fanout': () => new ImwFanoutLoad(),
  'imw-scene': () => new ImwSceneLoad(),
  'uws-fanout': () => new UwsRelayLoad(),
  'socketio-fanout': () => new SocketIoRelayLoad(),
} satisfies Record<string, () => MessageLoad>;
export type LoadKind = keyof typeof LOADS;

let load: MessageLoad | null = null;
/** Sessions held open by the login storm and the idle scenario. */
let held: ImClient[] = [];
/** The history scenario's page load. */
const pages = new PageLoad();

const requireLoad = (): MessageLoad => {
  if (!load) throw new Error('no load set up');
  return load;
};

interface Range {
  url: string;
  indices: number[];
  concurrency?: number;
}

serve({
  register: async (a) => {
    const { url, indices } = a as Range;
    const batches: number[][] = [];
    for (let k = 0; k < indices.length; k += 250) batches.push(indices.slice(k, k + 250));
    const ids = await pool(batches, 4, (b) => registerRange(url, b));
    return ids.flat().length;
  },

  /** Each login on a fresh connection; latency is connect→hello and challenge→login result. */
  loginStorm: async (a) => {
    const { url, indices, concurrency = 32 } = a as Range;
    const login = new Histogram();
    const connect = new Histogram();
    const errors: Record<string, number> = {};
    let ok = 0;
    await pool(indices, concurrency, async (i) => {
      const c = newClient(url);
      try {
        const t0 = nowMs();
        await c.connect();
        const t1 = nowMs();
        await c.login(usernameOf(i), BENCH_PASSWORD);
        login.recordMs(nowMs() - t1);
        connect.recordMs(t1 - t0);
        held.push(c);
        ok++;
      } catch (e) {
        const code = (e as { code?: string }).code ?? 'ERROR';
        errors[code] = (errors[code] ?? 0) + 1;
        c.close();
      }
    });
    return { ok, errors, login: login.toData(), connect: connect.toData() };
  },

  idleOpen: async (a) => {
    const { url, indices, concurrency = 16 } = a as Range;
    let failed = 0;
    await pool(indices, concurrency, async (i) => {
      try {
        held.push((await loggedIn(url, i)).client);
      } catch {
        failed++;
      }
    });
    return { ok: indices.length - failed, failed };
  },

  /** Sessions of `held` that are still up. */
  heldOpen: () => held.filter((c) => c.state.status === 'authenticated').length,

  closeHeld: async () => {
    for (const c of held) c.close(1000, 'bench done');
    held = [];
    await new Promise((r) => setTimeout(r, 300));
  },

  'history.seed': (a) => seedHistory(a as SeedArgs),
  'history.sync': (a) => syncOnce(a as { url: string; reader: number }),
  'history.pagesSetup': (a) => pages.setup(a as PagesArgs),
  'history.pagesRun': (a) => pages.run((a as { durationMs: number }).durationMs),
  'history.pagesTeardown': () => pages.teardown(),

  'load.setup': async (a) => {
    const { kind, args } = a as { kind: LoadKind; args: unknown };
    await load?.teardown();
    load = LOADS[kind]();
    try {
      return { ok: true, info: await load.setup(args) };
    } catch (e) {
      if (e instanceof SceneUnavailable) return { ok: false, unavailable: e.message };
      throw e;
    }
  },
  'load.start': (a) => requireLoad().start((a as { rate: number }).rate),
  'load.mark': (a) => requireLoad().mark((a as { epoch: number }).epoch),
  'load.peek': () => requireLoad().peek(),
  'load.stop': () => requireLoad().stop(),
  'load.collect': () => requireLoad().collect(),
  'load.teardown': async () => {
    await load?.teardown();
    load = null;
  },
});
