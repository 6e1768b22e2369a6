import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BoundaryRules,
  checkBoundaries,
  readImports,
  type Violation,
} from '../scripts/check-boundaries.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const SCRIPT = join(ROOT, 'scripts/check-boundaries.mjs');
const RULES: BoundaryRules = JSON.parse(readFileSync(join(ROOT, 'scripts/boundaries.json'), 'utf8'));

/**
 * A small repository shaped like ours that obeys every rule; each test adds one file or import
 * and expects exactly the rule it breaks.
 */
const CLEAN: Record<string, string> = {
  'shared/package.json': JSON.stringify({
    name: '@imw/shared',
    exports: { '.': './src/index.ts', './sdk': './src/sdk/index.ts' },
  }),
  'server/package.json': JSON.stringify({ name: '@imw/server', exports: { '.': './src/index.ts' } }),
  'web-client/package.json': JSON.stringify({ name: '@imw/web-client' }),
  'shared/src/index.ts': "export const PROTOCOL_VERSION = 1;\nexport * from './codes';\n",
  'shared/src/codes.ts': 'export const OK = 0;\n',
  'shared/src/sdk/index.ts':
    "import { PROTOCOL_VERSION } from '../index';\nexport const v = PROTOCOL_VERSION;\n",
  'server/src/core/index.ts': "import type { OK } from '@imw/shared';\nexport type Clock = () => number;\n",
  'server/src/db/index.ts': "import type { Clock } from '../core';\nexport const db = 1;\n",
  'server/src/accounts/index.ts': "export { accounts } from './service';\n",
  'server/src/accounts/service.ts': "import { db } from '../db';\nexport const accounts = db;\n",
  'server/src/cluster/index.ts': "import type { Clock } from '../core';\nexport const bus = 1;\n",
  'server/src/presence/index.ts':
    "import { bus } from '../cluster';\nimport { db } from '../db';\nexport const presence = bus + db;\n",
  'server/src/messaging/index.ts': "import { presence } from '../presence';\nexport const chat = presence;\n",
  'server/src/scene/index.ts': "import type { presence } from '../presence';\nexport const scene = 1;\n",
  'server/src/net/index.ts': "import type { Clock } from '../core';\nexport const gateway = 1;\n",
  'server/src/http/index.ts': "import type { Clock } from '../core';\nexport const routes = 1;\n",
  'server/src/app.ts': [
    "import { gateway } from './net';",
    "import { routes } from './http';",
    "import { chat } from './messaging';",
    "import { scene } from './scene';",
    "import { accounts } from './accounts';",
    'export const app = [gateway, routes, chat, scene, accounts];',
  ].join('\n'),
  'server/src/main.ts': "import { app } from './app';\nvoid app;\n",
  'web-client/src/main.tsx': [
    "import { PROTOCOL_VERSION } from '@imw/shared';",
    "import type { v } from '@imw/shared/sdk';",
    "const Page = () => <p>Don't import '../server' here</p>;",
    'export default Page;',
  ].join('\n'),
};

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function tree(extra: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'imw-boundaries-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries({ ...CLEAN, ...extra })) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const violations = (extra: Record<string, string> = {}): Violation[] =>
  checkBoundaries({ root: tree(extra), rules: RULES }).violations;
const rules = (extra: Record<string, string>) => violations(extra).map((v) => v.rule);

describe('readImports', () => {
  it('finds static, side-effect, re-export, dynamic, type-only and require imports, and nothing in comments or strings', () => {
    const src = [
      "import a from './a';",
      "import type { B } from './b';",
      'import {',
      '  c,',
      '  type D,',
      "} from './c';",
      "import './side-effect';",
      "export { e } from './e';",
      "export type { F } from './f';",
      "export * as g from './g';",
      "const h = await import('./h');",
      "type I = typeof import('./i');",
      "import j = require('./j');",
      "// import k from './k';",
      "/* export * from './l'; */",
      'const m = \'import n from "./n"\';',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text with a template literal, on purpose
      "const o = `${await import('./o')} import p from './p'`;",
      "const q = /import r from '.\\/r'/;",
      'export { local };',
      'const s = import.meta.url;',
    ].join('\n');
    expect(readImports(src)).toEqual([
      { spec: './a', line: 1, typeOnly: false },
      { spec: './b', line: 2, typeOnly: true },
      { spec: './c', line: 6, typeOnly: false },
      { spec: './side-effect', line: 7, typeOnly: false },
      { spec: './e', line: 8, typeOnly: false },
      { spec: './f', line: 9, typeOnly: true },
      { spec: './g', line: 10, typeOnly: false },
      { spec: './h', line: 11, typeOnly: false },
      { spec: './i', line: 12, typeOnly: true },
      { spec: './j', line: 13, typeOnly: false },
      { spec: './o', line: 17, typeOnly: false },
    ]);
  });
});

describe('the boundary check on a fixture tree', () => {
  it('passes a tree that keeps every rule, and counts its arrows', () => {
    const root = tree();
    const result = checkBoundaries({ root, rules: RULES });
    expect(result.violations).toEqual([]);
    expect([...result.moduleArrows.keys()].sort()).toEqual([
      'accounts -> db',
      'cluster -> core',
      'db -> core',
      'http -> core',
      'messaging -> presence',
      'net -> core',
      'presence -> cluster',
      'presence -> db',
      'root -> accounts',
      'root -> http',
      'root -> messaging',
      'root -> net',
      'root -> scene',
      'scene -> presence',
    ]);
    expect(result.moduleArrows.get('scene -> presence')).toMatchObject({ imports: 1, typeOnly: 1 });
    expect(result.arrows.get('web-client -> shared')).toMatchObject({ imports: 2, typeOnly: 1 });
  });

  it('(a) fails when a module imports net/ or http/, also type-only', () => {
    expect(rules({ 'server/src/presence/metrics.ts': "import type { gateway } from '../net';\n" })).toEqual([
      'a',
    ]);
    expect(rules({ 'server/src/messaging/admin.ts': "import { routes } from '../http';\n" })).toEqual(['a']);
    expect(rules({ 'server/src/cluster/drain.ts': "export { routes } from '../http';\n" })).toEqual(['a']);
  });

  it('(b) fails on an import past another module index.ts, and on a relative path into another package', () => {
    const deep = violations({
      'server/src/presence/resume.ts': "import { accounts } from '../accounts/service';\n",
    });
    expect(deep.map((v) => v.rule)).toEqual(['b', 'f']); // and presence -> accounts is not an allowed arrow
    expect(deep[0]?.where).toBe('server/src/presence/resume.ts:1');
    expect(rules({ 'server/src/accounts/keys.ts': "const db = await import('../db/index');\n" })).toEqual([]);
    expect(rules({ 'server/src/accounts/keys.ts': "export const k = import('../db/schema');\n" })).toEqual([
      'b',
    ]);
    expect(rules({ 'server/src/app2.ts': "import { accounts } from './accounts/service';\n" })).toEqual([
      'b',
    ]);
    expect(rules({ 'web-client/src/codes.ts': "import { OK } from '../../shared/src/codes';\n" })).toEqual([
      'b',
    ]);
    expect(rules({ 'web-client/src/codes.ts': "import { OK } from '@imw/shared/src/codes';\n" })).toEqual([
      'b',
    ]);
  });

  it('(c) fails when shared imports server or web-client code', () => {
    expect(
      rules({ 'shared/src/limits.ts': "import type { Clock } from '../../server/src/core';\n" }),
    ).toEqual(['c', 'b']);
    expect(rules({ 'shared/src/limits.ts': "import { app } from '@imw/server';\n" })).toEqual(['c']);
    expect(rules({ 'shared/src/ui.ts': "export { default } from '../../web-client/src/main';\n" })).toEqual([
      'c',
      'b',
    ]);
  });

  it('(d) fails when the web client imports server code', () => {
    expect(rules({ 'web-client/src/config.ts': "import type { app } from '@imw/server';\n" })).toEqual(['d']);
    expect(rules({ 'web-client/src/lazy.ts': "const m = import('../../server/src/core');\n" })).toEqual([
      'd',
      'b',
    ]);
  });

  it('(e) fails on a cycle between server modules, and names it', () => {
    // cluster -> presence closes presence -> cluster (the arrow the restructuring removes).
    const found = violations({
      'server/src/cluster/router.ts': "import type { presence } from '../presence';\n",
    });
    expect(found.map((v) => v.rule)).toEqual(['f', 'e']);
    expect(found[1]?.where).toBe('cluster -> presence -> cluster');
  });

  it('(f) fails on an arrow the rules file does not list, and on a module it does not know', () => {
    expect(rules({ 'server/src/cluster/names.ts': "import { accounts } from '../accounts';\n" })).toEqual([
      'f',
    ]);
    expect(rules({ 'server/src/auth/index.ts': "import type { Clock } from '../core';\n" })).toEqual(['f']);
    expect(rules({ 'server/src/core/x.ts': "import { db } from '../db';\n" })).toEqual(['f', 'e']);
  });

  it('exits 1 with the violations listed, and 0 on a clean tree', () => {
    const run = (root: string) =>
      spawnSync(
        process.execPath,
        [SCRIPT, '--root', root, '--rules', join(ROOT, 'scripts/boundaries.json')],
        {
          encoding: 'utf8',
        },
      );
    const clean = run(tree());
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('messaging -> presence');
    expect(clean.stdout).toContain('Boundary check: no violations.');
    const bad = run(tree({ 'server/src/scene/x.ts': "import { gateway } from '../net';\n" }));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(
      '(a) server/src/scene/x.ts:1  scene imports net/, which only the composition root may (../net)',
    );
  });
});

describe('docs/ARCHITECTURE.md', () => {
  it('draws exactly the arrows scripts/boundaries.json allows, plus root to every module', () => {
    const doc = readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Boundary check'));
    const picture = section.slice(
      section.indexOf('```mermaid'),
      section.indexOf('```', section.indexOf('```mermaid') + 3),
    );
    const drawn = [...picture.matchAll(/^\s*(\w+) --> (\w+)\s*$/gm)].map((m) => `${m[1]} -> ${m[2]}`).sort();
    const allowed = [
      ...RULES.modules.map((m) => `root -> ${m}`),
      ...Object.entries(RULES.allowed ?? {}).flatMap(([from, tos]) => tos.map((to) => `${from} -> ${to}`)),
    ].sort();
    expect(drawn).toEqual(allowed);
  });
});
