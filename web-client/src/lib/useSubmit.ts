import { useState } from 'react';
import { describeError, type ErrorOverrides, type Problem } from './errors';

/**
 * The pending flag and error of one form. `run` reports whether the task succeeded so the form
 * can reset itself or show its success note.
 */
export function useSubmit(overrides?: ErrorOverrides) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Problem | null>(null);

  async function run(task: () => Promise<void>): Promise<boolean> {
    setPending(true);
    setError(null);
    try {
      await task();
      return true;
    } catch (e) {
      setError(describeError(e, overrides));
      return false;
    } finally {
      setPending(false);
    }
  }

  return { pending, error, setError, run };
}
