import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../server/src/core/config';
import { withGenerated } from '../shared/scripts/gen-protocol';
import { CloseCode, ErrorCode } from '../shared/src';

const ROOT = resolve(import.meta.dirname, '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(join(ROOT, rel)).isDirectory()) files(rel, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(rel);
  }
  return out;
}

/** Docs that stay true: these fail when code and documentation drift apart. */
describe('documentation', () => {
  const protocol = read('docs/PROTOCOL.md');

  it('PROTOCOL.md carries the packet reference generated from the packet tables', () => {
    expect(withGenerated(protocol)).toBe(protocol);
  });

  it('PROTOCOL.md documents every error code and close code', () => {
    for (const code of Object.values(ErrorCode)) expect(protocol).toContain(`\`${code}\``);
    for (const [name, code] of Object.entries(CloseCode))
      expect(protocol).toContain(`| ${code} | \`${name}\``);
  });

  it('every rule ID a test cites is stated in PROTOCOL.md', () => {
    const cited = new Set<string>();
    for (const f of [...files('server/test'), ...files('shared/test'), ...files('test'), ...files('e2e')]) {
      for (const m of read(f).matchAll(/\bR-[A-Z]+-\d+\b/g)) cited.add(m[0]);
    }
    const missing = [...cited].filter((id) => !protocol.includes(`| ${id} |`));
    expect(missing).toEqual([]);
  });

  it('the README configuration table lists every setting with its variable name', () => {
    const readme = read('README.md');
    const missing = Object.keys(configSchema.shape).filter((k) => !readme.includes(`| \`${k}\` |`));
    expect(missing).toEqual([]);
  });
});
