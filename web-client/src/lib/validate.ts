import { USERNAME_RE } from '@imw/shared';
import { MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS } from '../config';
import { type Problem, problem } from './errors';

/**
 * Checks that can be made before asking the server, with the same rules it applies, so common
 * mistakes get a precise message at once. The server still checks everything.
 */

/** Usernames are case-insensitive by design (stored lower case), so "Alice" logs in as "alice". */
export const normalizeUsername = (raw: string): string => raw.trim().toLowerCase();

export function checkUsername(username: string): Problem | null {
  if (!username) return problem('Enter a username.');
  if (!USERNAME_RE.test(username)) {
    return problem(
      'Usernames are 3–32 characters: letters a–z, digits and _ . - (starting with a letter or digit).',
    );
  }
  return null;
}

export function checkNewPassword(password: string): Problem | null {
  if (password.length < MIN_PASSWORD_CHARS) {
    return problem(`Passwords need at least ${MIN_PASSWORD_CHARS} characters.`);
  }
  if (password.length > MAX_PASSWORD_CHARS) {
    return problem(`Passwords can have at most ${MAX_PASSWORD_CHARS} characters.`);
  }
  return null;
}
