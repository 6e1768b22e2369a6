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
  INTERNAL: 'Something went wrong on the server. Try again.',
  TIMEOUT: 'The server did not answer in time. Try again.',
  DISCONNECTED: 'Not connected to the server. Check your connection and try again.',
  SERVER_AUTH_FAILED: 'The server could not prove its identity, so you were not logged in.',
  BAD_RESPONSE: 'The server sent an answer this app does not understand. Reload the page.',
};

/**
 * Plain words for a field the server refused. Raw server text ("username: username: 3-32 chars…")
 * is never shown: a field this table does not know gets no detail line at all.
 */
const FIELD_WORDS: Record<string, string> = {
  username: 'Usernames are 3–32 characters: letters a–z, digits and _ . - (starting with a letter or digit).',
  text: 'A message needs some text, without control characters, within the length limit.',
  name: 'A group name has 1 to 64 characters.',
  displayName: 'A display name has 1 to 64 characters.',
  bio: 'A bio has at most 280 characters.',
  query: 'A search has at most 64 characters.',
};

/** Server messages without details that the user can act on, in plain words. */
const MESSAGE_WORDS: Record<string, string> = {
  'you cannot befriend yourself': 'That is your own username. Enter a friend’s username.',
  'you cannot block yourself': 'You cannot block yourself.',
};

function plainDetails(err: ImError): string[] {
  const out = new Set<string>();
  for (const d of err.details ?? []) {
    const field = d.split(':')[0]?.trim() ?? '';
    const words = FIELD_WORDS[field];
    if (words) out.add(words);
  }
  const known = MESSAGE_WORDS[err.message];
  if (known) out.add(known);
  return [...out];
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

/** R-FRD-30/32: the friend-request limits, in words (details say which one). */
function rateWords(err: ImError, retryAfterMs: number): string {
  if (err.details?.includes('declined')) {
    return `They declined your last request. You can ask again from ${dayFormat.format(new Date(Date.now() + retryAfterMs))}.`;
  }
  if (err.details?.includes('hourly')) {
    const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
    return `You have sent many friend requests this hour. Try again in ${minutes} min.`;
  }
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `Too many attempts, try again in ${seconds} s`;
}

export function describeError(err: unknown, overrides: ErrorOverrides = {}): Problem {
  if (!(err instanceof ImError)) {
    // Not a protocol answer: a bug or a browser API failure. Keep the detail for whoever debugs it.
    console.error(err);
    const detail = err instanceof Error ? err.message : String(err);
    return problem('Something went wrong. Try again.', detail ? [detail] : []);
  }
  if (err.code === 'RATE_LIMITED' && err.retryAfterMs !== undefined) {
    return problem(rateWords(err, err.retryAfterMs));
  }
  const message = overrides[err.code] ?? MESSAGES[err.code];
  if (err.code === 'BAD_REQUEST') {
    const details = plainDetails(err);
    const lead = overrides.BAD_REQUEST ?? (details.length ? 'Please check the form:' : MESSAGES.BAD_REQUEST);
    return problem(lead, details);
  }
  return problem(message);
}
