/**
 * What travels over the direct data channel. The peer is a friend, but its messages are still
 * input: parse, don't cast, and bound the size like the server bounds chat text.
 */
export interface DirectPayload {
  readonly id: string;
  readonly text: string;
  readonly atMs: number;
}

export const MAX_DIRECT_TEXT_CHARS = 10_000;
const MAX_FRAME_CHARS = MAX_DIRECT_TEXT_CHARS * 2 + 256;

export function encodeDirectText(p: DirectPayload): string {
  return JSON.stringify({ type: 'text', ...p });
}

export function parseDirectPayload(data: unknown): DirectPayload | null {
  if (typeof data !== 'string' || data.length > MAX_FRAME_CHARS) return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { type, id, text, atMs } = value as Record<string, unknown>;
  if (type !== 'text') return null;
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_DIRECT_TEXT_CHARS) return null;
  // The peer's clock is not ours: a missing or absurd time becomes "now".
  const at = typeof atMs === 'number' && Number.isFinite(atMs) && atMs > 0 ? atMs : Date.now();
  return { id, text, atMs: at };
}
