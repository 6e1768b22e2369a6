import { USERNAME_RE } from '@imw/shared';
import { MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS } from '../config';
import { type Problem, problem } from './errors';

/**
 * Checks that can be made before asking the server, with the same rules it applies, so common
 * mistakes get a precise message at once. The server still checks everything.
 */

/** Usernames are case-insensitive by design (stored lower case), so "Alice" logs in as "alice". */
export const normalizeUsername = (raw: string): string => raw.trim().replace(/^@/, '').toLowerCase();

export function checkUsername(username: string): Problem | null {
  if (!username) return problem('auth:check.usernameEmpty');
  if (!USERNAME_RE.test(username)) return problem('auth:check.usernameRule');
  return null;
}

export function checkNewPassword(password: string): Problem | null {
  if (password.length < MIN_PASSWORD_CHARS)
    return problem('auth:check.passwordShort', { count: MIN_PASSWORD_CHARS });
  if (password.length > MAX_PASSWORD_CHARS)
    return problem('auth:check.passwordLong', { count: MAX_PASSWORD_CHARS });
  return null;
}
