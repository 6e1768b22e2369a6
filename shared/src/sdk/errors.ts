import type { ErrorBody } from '../protocol/packets';

/** Codes the SDK itself produces (the server never sends these). */
export const ClientErrorCode = {
  TIMEOUT: 'TIMEOUT',
  DISCONNECTED: 'DISCONNECTED',
  SERVER_AUTH_FAILED: 'SERVER_AUTH_FAILED',
  BAD_RESPONSE: 'BAD_RESPONSE',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export class ImError extends Error {
  override readonly name = 'ImError';
  constructor(
    readonly code: ErrorBody['code'] | ClientErrorCode,
    message: string,
    readonly details?: string[],
    readonly retryAfterMs?: number,
    readonly redirectUrl?: string,
  ) {
    super(message);
  }

  static from(body: ErrorBody): ImError {
    return new ImError(body.code, body.message, body.details, body.retryAfterMs, body.redirectUrl);
  }
}
