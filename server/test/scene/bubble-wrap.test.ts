import { describe, expect, test } from 'vitest';
import { wrapText } from '../../../web-client/src/world/wrap';

/** Every character 10 px wide, a space too: lines of at most 60 px hold 6 characters. */
const measure = (s: string) => Array.from(s).length * 10;

describe('R-MAP-11: speech bubbles wrap Chinese text per character, Latin text at spaces', () => {
  test('Chinese without spaces breaks between characters', () => {
    const lines = wrapText('我们在会议室里开会吧大家快来', 60, measure);
    expect(lines).toEqual(['我们在会议室', '里开会吧大家', '快来']);
    expect(lines.every((l) => measure(l) <= 60)).toBe(true);
  });

  test('closing punctuation stays with the character before it', () => {
    const lines = wrapText('你好世界朋友，欢迎光临。', 60, measure);
    expect(lines.some((l) => l.startsWith('，') || l.startsWith('。'))).toBe(false);
    expect(lines.join('')).toBe('你好世界朋友，欢迎光临。');
  });

  test('Latin words still break at spaces, never inside a word that fits', () => {
    expect(wrapText('one two three four', 90, measure)).toEqual(['one two', 'three', 'four']);
  });

  test('mixed text: a Latin word between Chinese characters stays whole', () => {
    const lines = wrapText('我用 Tiled 画地图', 60, measure);
    expect(lines).toContain('Tiled');
    expect(lines.join('')).toBe('我用Tiled画地图');
  });

  test('a word longer than a line is broken by character, not cut off', () => {
    const lines = wrapText('https://example.com/a', 60, measure);
    expect(lines.join('')).toBe('https://example.com/a');
    expect(lines.every((l) => measure(l) <= 60)).toBe(true);
  });
});
