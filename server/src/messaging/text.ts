/**
 * Chat text rules (R-MSG-3). msgpack decoding turns invalid UTF-8 into U+FFFD, so a replacement
 * character or a lone surrogate means the sender's bytes were not valid UTF-8: refused. Control
 * characters other than tab and newline are refused too (they only ever confuse a display).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export type TextProblem = 'empty' | 'too long' | 'invalid UTF-8' | 'control characters';

export function checkText(text: string, maxChars: number): TextProblem | null {
  if (text.trim().length === 0) return 'empty';
  if (text.length > maxChars) return 'too long';
  if (text.includes('\ufffd') || LONE_SURROGATE.test(text)) return 'invalid UTF-8';
  if (CONTROL.test(text)) return 'control characters';
  return null;
}
