import { ImError } from '@imw/shared/sdk';

/** What a form shows in its alert: one sentence, and for validation errors the failing fields. */
export interface Problem {
  readonly message: string;
  readonly details: readonly string[];
}

export type ErrorCodeName = ImError['code'];
/** Per-form wording for codes whose meaning depends on the form (AUTH_FAILED on a password change). */
export type ErrorOverrides = Partial<Record<ErrorCodeName, string>>;

export const problem = (message: string, details: readonly string[] = []): Problem => ({ message, details });

/** Default wording per code. The one place that turns error codes into words. */
const MESSAGES: Record<ErrorCodeName, string> = {
  BAD_FRAME: 'The server could not read our message. Reload the page and try again.',
  UNKNOWN_TYPE: 'The server does not know this command. Reload the page to update the app.',
  BAD_REQUEST: 'The server rejected the request.',
  NOT_LOGGED_IN: 'Your session has ended. Log in again.',
  ALREADY_LOGGED_IN: 'You are already logged in.',
  USERNAME_TAKEN: 'That username is taken',
  AUTH_FAILED: 'Wrong username or password',
  CHALLENGE_INVALID: 'The login took too long. Try again.',
  RATE_LIMITED: 'Too many attempts, try again later',
  NOT_FOUND: 'Not found.',
  FORBIDDEN: 'You are not allowed to do that.',
  CONFLICT: 'That conflicts with the current state. Reload and try again.',
  LIMIT_EXCEEDED: 'A limit was reached.',
  // The SDK cannot follow a login redirect to another node yet; trying again usually lands elsewhere.
  REDIRECT: 'This server is full right now. Try again in a moment.',
  UNAVAILABLE: 'The server is busy. Try again in a moment.',
  SUSPENDED: 'This account is suspended by the operators.',
  INTERNAL: 'Something went wrong on the server. Try again.',
  TIMEOUT: 'The server did not answer in time. Try again.',
  DISCONNECTED: 'Not connected to the server. Check your connection and try again.',
  SERVER_AUTH_FAILED: 'The server could not prove its identity, so you were not logged in.',
  BAD_RESPONSE: 'The server sent an answer this app does not understand. Reload the page.',
};

export function describeError(err: unknown, overrides: ErrorOverrides = {}): Problem {
  if (!(err instanceof ImError)) {
    // Not a protocol answer: a bug or a browser API failure. Keep the detail for whoever debugs it.
    console.error(err);
    const detail = err instanceof Error ? err.message : String(err);
    return problem('Something went wrong. Try again.', detail ? [detail] : []);
  }
  if (err.code === 'RATE_LIMITED' && err.retryAfterMs !== undefined) {
    const seconds = Math.max(1, Math.ceil(err.retryAfterMs / 1000));
    return problem(`Too many attempts, try again in ${seconds} s`);
  }
  if (err.code === 'SUSPENDED' && err.retryAfterMs !== undefined && !overrides.SUSPENDED) {
    const until = new Date(Date.now() + err.retryAfterMs);
    return problem(`This account is suspended until ${until.toLocaleString()}.`);
  }
  const message = overrides[err.code] ?? MESSAGES[err.code];
  if (err.code === 'BAD_REQUEST') {
    const details = err.details?.length ? err.details : [err.message];
    return problem(overrides.BAD_REQUEST ?? 'Please check the form:', details);
  }
  return problem(message);
}
