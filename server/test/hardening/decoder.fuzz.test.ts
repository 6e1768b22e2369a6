import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decoderProperties } from '../support/decoder-properties';

/**
 * R-HARD-1..4: the decoder (shared/src/protocol) never throws anything but the documented
 * FrameError, and parseRequest answers every record with a typed value or a typed failure.
 * A CI-sized run; `node --import tsx scripts/fuzz/run.ts --cases 1000000` runs the same
 * properties a million times.
 */
const NUM_RUNS = 500;

describe('decoder fuzzing (fast-check)', () => {
  for (const p of decoderProperties()) {
    it(p.name, () => {
      const details = p.check({ numRuns: NUM_RUNS });
      expect(details.failed, fc.defaultReportMessage(details)).toBe(false);
      expect(details.numRuns).toBe(NUM_RUNS);
    });
  }
});
