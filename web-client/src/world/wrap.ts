/**
 * Line breaking for speech bubbles. Latin text breaks at spaces; Chinese, Japanese and Korean
 * have no spaces between words and may break between any two characters, except before closing
 * punctuation (，。！？ and the like stay with the character before them). A token wider than a
 * line by itself (a long URL) is broken by character rather than cut off.
 */

const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
/** Never at the start of a line (a small kinsoku rule). */
const NO_LINE_START = /^[，。、；：！？）」』】〉》”’…,.!?;:)\]}]$/u;

interface Token {
  readonly text: string;
  /** A space separates it from the token before (it starts a new word). */
  readonly spaced: boolean;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const [w, word] of text.split(/\s+/).filter(Boolean).entries()) {
    let run = '';
    let first = true;
    const push = (t: string) => {
      out.push({ text: t, spaced: first && w > 0 });
      first = false;
    };
    for (const ch of Array.from(word)) {
      if (NO_LINE_START.test(ch) && run === '' && !first) {
        const prev = out.pop()!;
        out.push({ ...prev, text: prev.text + ch });
      } else if (CJK.test(ch)) {
        if (run) push(run);
        run = '';
        push(ch);
      } else {
        run += ch;
      }
    }
    if (run) push(run);
  }
  return out;
}

/** Splits `text` into lines no wider than `maxWidthPx` as `measure` reports widths. */
export function wrapText(text: string, maxWidthPx: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  const place = (piece: string, spaced: boolean) => {
    const next = line === '' ? piece : spaced ? `${line} ${piece}` : line + piece;
    if (measure(next) <= maxWidthPx || line === '') line = next;
    else {
      lines.push(line);
      line = piece;
    }
  };
  for (const t of tokenize(text)) {
    if (measure(t.text) <= maxWidthPx) {
      place(t.text, t.spaced);
      continue;
    }
    // Too wide for any line: character by character.
    for (const [i, ch] of Array.from(t.text).entries()) place(ch, i === 0 && t.spaced);
  }
  if (line) lines.push(line);
  return lines;
}
