import { ClientErrorCode, ImError } from './errors';

/**
 * R-SEC-1: the salt and iteration count of a challenge come from a server that has not proven
 * anything yet. A man in the middle who answers `iterations: 1` gets a proof it can test password
 * guesses against at one HMAC each; one who answers ten billion stalls the client. So the SDK
 * derives nothing outside these bounds. The floor is the server's own registration floor
 * (SCRAM_MIN_ITERATIONS, RFC 7677's 4096): no honest account has fewer. The cap matches the most
 * `auth.register` accepts.
 */
export const SCRAM_MIN_ITERATIONS = 4096;
export const SCRAM_MAX_ITERATIONS = 10_000_000;
/** RFC 5802 asks for a random salt; 16 bytes is what the SDK registers with. */
export const SCRAM_MIN_SALT_BYTES = 16;

export interface ScramBounds {
  minIterations: number;
  maxIterations: number;
}

/** Throws SERVER_AUTH_FAILED when a challenge's PBKDF2 parameters are outside the bounds. */
export function checkScramParams(ch: { salt: Uint8Array; iterations: number }, bounds: ScramBounds): void {
  const { iterations, salt } = ch;
  if (!Number.isSafeInteger(iterations) || iterations < bounds.minIterations) {
    throw new ImError(
      ClientErrorCode.SERVER_AUTH_FAILED,
      `the server asked for ${iterations} PBKDF2 iterations (fewer than ${bounds.minIterations}): refusing to send a proof`,
    );
  }
  if (iterations > bounds.maxIterations) {
    throw new ImError(
      ClientErrorCode.SERVER_AUTH_FAILED,
      `the server asked for ${iterations} PBKDF2 iterations (more than ${bounds.maxIterations}): refusing`,
    );
  }
  if (salt.byteLength < SCRAM_MIN_SALT_BYTES) {
    throw new ImError(
      ClientErrorCode.SERVER_AUTH_FAILED,
      `the server sent a ${salt.byteLength}-byte salt (fewer than ${SCRAM_MIN_SALT_BYTES}): refusing`,
    );
  }
}
