/**
 * Wire protocol version. A frame whose first byte is lower than MIN_PROTOCOL_VERSION is "too old",
 * higher than PROTOCOL_VERSION is "too new": two different close codes (PROTOCOL.md R-VER-1, R-VER-2).
 */
export const PROTOCOL_VERSION = 1;
export const MIN_PROTOCOL_VERSION = 1;
