import { ImError } from '@imw/shared/sdk';
import { i18n, type Msg, msg } from '../i18n';

/**
 * What a form shows in its alert: one translated sentence. R-I18N-4: words come from the error's
 * code, never from the server's text or its validation details (they are English, for logs).
 */
export interface Problem {
  readonly message: Msg;
}

export type ErrorCodeName = ImError['code'];
/** Per-form wording for codes whose meaning depends on the form (AUTH_FAILED on a password change). */
export type ErrorOverrides = Partial<Record<ErrorCodeName, Msg['key']>>;

export const problem = (key: Msg['key'], values?: Msg['values']): Problem => ({ message: msg(key, values) });

/** Default wording per code: the one place that turns error codes into words (errors:code.*). */
const CODE_KEY = {
  BAD_FRAME: 'errors:code.BAD_FRAME',
  UNKNOWN_TYPE: 'errors:code.UNKNOWN_TYPE',
  BAD_REQUEST: 'errors:code.BAD_REQUEST',
  NOT_LOGGED_IN: 'errors:code.NOT_LOGGED_IN',
  ALREADY_LOGGED_IN: 'errors:code.ALREADY_LOGGED_IN',
  USERNAME_TAKEN: 'errors:code.USERNAME_TAKEN',
  AUTH_FAILED: 'errors:code.AUTH_FAILED',
  CHALLENGE_INVALID: 'errors:code.CHALLENGE_INVALID',
  RATE_LIMITED: 'errors:code.RATE_LIMITED',
  NOT_FOUND: 'errors:code.NOT_FOUND',
  FORBIDDEN: 'errors:code.FORBIDDEN',
  CONFLICT: 'errors:code.CONFLICT',
  LIMIT_EXCEEDED: 'errors:code.LIMIT_EXCEEDED',
  // The SDK cannot follow a login redirect to another node yet; trying again usually lands elsewhere.
  REDIRECT: 'errors:code.REDIRECT',
  UNAVAILABLE: 'errors:code.UNAVAILABLE',
  SUSPENDED: 'errors:code.SUSPENDED',
  INTERNAL: 'errors:code.INTERNAL',
  TIMEOUT: 'errors:code.TIMEOUT',
  DISCONNECTED: 'errors:code.DISCONNECTED',
  SERVER_AUTH_FAILED: 'errors:code.SERVER_AUTH_FAILED',
  BAD_RESPONSE: 'errors:code.BAD_RESPONSE',
} as const satisfies Record<ErrorCodeName, Msg['key']>;

/** The translated message for an error code (a form's override first). */
export function errorKey(code: ErrorCodeName, overrides: ErrorOverrides = {}): Msg['key'] {
  return overrides[code] ?? CODE_KEY[code];
}

export function describeError(err: unknown, overrides: ErrorOverrides = {}): Problem {
  if (!(err instanceof ImError)) {
    // Not a protocol answer: a bug or a browser API failure. The detail is for whoever debugs it.
    console.error(err);
    return problem('errors:generic');
  }
  // R-FRD-30/32: the friend-request limits say which one (details), in words of their own.
  if (err.code === 'RATE_LIMITED' && err.retryAfterMs !== undefined && err.details?.includes('declined')) {
    const date = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
    return problem('errors:friendDeclined', { date: date.format(new Date(Date.now() + err.retryAfterMs)) });
  }
  if (err.code === 'RATE_LIMITED' && err.retryAfterMs !== undefined && err.details?.includes('hourly')) {
    return problem('errors:friendHourly', { count: Math.max(1, Math.ceil(err.retryAfterMs / 60_000)) });
  }
  if (err.code === 'RATE_LIMITED' && err.retryAfterMs !== undefined && !overrides.RATE_LIMITED) {
    const seconds = Math.max(1, Math.ceil(err.retryAfterMs / 1000));
    return problem('errors:rateLimitedIn', { count: seconds });
  }
  if (err.code === 'SUSPENDED' && err.retryAfterMs !== undefined && !overrides.SUSPENDED) {
    // R-MOD-3: the date, in the interface language, from the time left (never the server's text).
    const until = new Date(Date.now() + err.retryAfterMs).toLocaleString(i18n.language);
    return problem('errors:suspendedUntil', { until });
  }
  // The server's own words (err.message, err.details) stay in the console for debugging.
  if (err.code === 'BAD_REQUEST' || err.code === 'INTERNAL') console.warn(err.code, err.message, err.details);
  return problem(errorKey(err.code, overrides));
}
