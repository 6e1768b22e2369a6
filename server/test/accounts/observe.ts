/**
 * What a client can observe of a request: its answer's class. R-BLK-2 compares a blocked user's
 * observations with a stranger's by these classes, never by wall-clock figures alone.
 */
export interface Watched {
  settled: boolean;
  outcome: 'ok' | 'error' | null;
}

/** Tracks whether (and how) a promise settled, without awaiting it. */
export function watch<T>(p: Promise<T>): Watched {
  const state: Watched = { settled: false, outcome: null };
  p.then(
    () => {
      state.settled = true;
      state.outcome = 'ok';
    },
    () => {
      state.settled = true;
      state.outcome = 'error';
    },
  );
  return state;
}

/** 'silent' (no answer yet, after later requests on the same connection were answered), or how it was answered. */
export const answerClass = (w: Watched): 'silent' | 'ok' | 'error' =>
  w.settled ? (w.outcome ?? 'ok') : 'silent';
