#!/usr/bin/env node
// `npm run check:deps`: reads every import under server/src, shared/src and web-client/src and
// fails on an arrow the structure forbids. The allowed arrows between server modules live in
// scripts/boundaries.json (docs/ARCHITECTURE.md, "Boundary check", draws them); everything not
// listed there fails. Plain Node on purpose: it runs before any TypeScript tooling, and its tests
// run it on small fixture trees (test/boundaries.test.ts).
//
// Rules:
//   (a) only the composition root (files directly in server/src) imports net/ or http/
//   (b) no import past another module's index.ts, and no relative path into another package
//   (c) shared/ imports no server or web-client code
//   (d) web-client/ imports no server code
//   (e) no cycle between server modules
//   (f) every other arrow between server modules must be listed in boundaries.json
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs)$/;
const RESOLVE_EXTS = ['', '.ts', '.tsx', '.mts', '.d.ts', '/index.ts', '/index.tsx'];
const PACKAGES = ['shared', 'server', 'web-client'];

// ---------------------------------------------------------------------------------------------
// Reading imports. A small tokenizer, so that comments, strings and template literals never look
// like imports and multi-line import lists are read whole. Quoted strings and regular
// expressions end at a line break at the latest, so a misread (an apostrophe in JSX text) costs
// one line, not the rest of the file.

const REGEX_AFTER = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'instanceof',
  'yield',
  'await',
]);

function tokenize(src) {
  const out = [];
  const braces = []; // for each open `{`: true when it opened a template's `${`
  let i = 0;
  const n = src.length;
  const prev = () => out[out.length - 1];
  const regexAllowed = () => {
    const p = prev();
    if (!p) return true;
    if (p.t === 'id') return REGEX_AFTER.has(p.v);
    if (p.t === 'str' || p.t === 'num' || p.t === 'tmpl' || p.t === 're') return false;
    return !(p.v === ')' || p.v === ']' || p.v === '}');
  };
  // Reads template text from i (just after ` or }) to the closing ` or to a `${`.
  const template = (start) => {
    let j = i;
    while (j < n) {
      const c = src[j];
      if (c === '\\') j += 2;
      else if (c === '`') {
        out.push({ t: 'tmpl', v: src.slice(start, j + 1), pos: start });
        i = j + 1;
        return;
      } else if (c === '$' && src[j + 1] === '{') {
        out.push({ t: 'tmpl', v: src.slice(start, j + 2), pos: start });
        braces.push(true);
        i = j + 2;
        return;
      } else j++;
    }
    i = n;
  };
  while (i < n) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out.push({ t: 'str', v: src.slice(i + 1, j), pos: i });
      i = j + 1;
    } else if (c === '`') {
      const start = i;
      i++;
      template(start);
    } else if (c === '/' && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < n && src[j] !== '\n') {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
        else if (src[j] === '/' && !inClass) break;
        j++;
      }
      j++;
      while (j < n && /[a-z]/.test(src[j])) j++;
      out.push({ t: 're', v: src.slice(i, j), pos: i });
      i = j;
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$]/.test(src[j])) j++;
      out.push({ t: 'id', v: src.slice(i, j), pos: i });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w.]/.test(src[j])) j++;
      out.push({ t: 'num', v: src.slice(i, j), pos: i });
      i = j;
    } else if (c === '{') {
      braces.push(false);
      out.push({ t: 'p', v: c, pos: i });
      i++;
    } else if (c === '}') {
      if (braces.pop() === true) {
        const start = i;
        i++;
        template(start);
      } else {
        out.push({ t: 'p', v: c, pos: i });
        i++;
      }
    } else {
      out.push({ t: 'p', v: c, pos: i });
      i++;
    }
  }
  return out;
}

/**
 * Every import in `src`: static imports, side-effect imports, `export … from`, dynamic
 * `import()` (also in type positions), `import x = require()`, with type-only ones marked.
 * @returns {{ spec: string, line: number, typeOnly: boolean }[]}
 */
export function readImports(src) {
  const toks = tokenize(src);
  const lineStarts = [0];
  for (let k = 0; k < src.length; k++) if (src[k] === '\n') lineStarts.push(k + 1);
  const lineOf = (pos) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const found = [];
  const is = (k, v) => toks[k] && toks[k].t !== 'str' && toks[k].t !== 'tmpl' && toks[k].v === v;
  const add = (k, typeOnly) => found.push({ spec: toks[k].v, line: lineOf(toks[k].pos), typeOnly });
  // From k, the first string token before a `;` (or null).
  const stringBefore = (k) => {
    for (let j = k; j < toks.length && j < k + 400; j++) {
      if (toks[j].t === 'str') return j;
      if (is(j, ';')) return null;
    }
    return null;
  };
  for (let k = 0; k < toks.length; k++) {
    const tk = toks[k];
    if (tk.t !== 'id' || is(k - 1, '.')) continue;
    if (tk.v === 'import') {
      if (is(k + 1, '(')) {
        if (toks[k + 2]?.t === 'str') add(k + 2, is(k - 1, 'typeof'));
      } else if (!is(k + 1, '.')) {
        const typeOnly = is(k + 1, 'type') && !is(k + 2, 'from') && !is(k + 2, ',') && !is(k + 2, '=');
        const s = stringBefore(k + 1);
        if (s !== null) add(s, typeOnly);
      }
    } else if (tk.v === 'export') {
      let j = k + 1;
      const typeOnly = is(j, 'type');
      if (typeOnly) j++;
      if (is(j, '{')) {
        let depth = 0;
        for (; j < toks.length; j++) {
          if (is(j, '{')) depth++;
          else if (is(j, '}') && --depth === 0) break;
        }
        if (is(j + 1, 'from') && toks[j + 2]?.t === 'str') add(j + 2, typeOnly);
      } else if (is(j, '*')) {
        const s = stringBefore(j);
        if (s !== null) add(s, typeOnly);
      }
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Placing files and imports.

const posix = (p) => p.split(sep).join('/');

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (SOURCE.test(name)) out.push(p);
  }
  return out;
}

/** Bare specifiers of the workspace packages (`@imw/shared/sdk`, …) → files, from their exports. */
function packageExports(root) {
  const map = new Map();
  for (const dir of PACKAGES) {
    const file = join(root, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    const exports = typeof pkg.exports === 'string' ? { '.': pkg.exports } : (pkg.exports ?? {});
    for (const [sub, target] of Object.entries(exports)) {
      const t = typeof target === 'string' ? target : (target.import ?? target.default);
      if (typeof t !== 'string') continue;
      map.set(sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`, join(root, dir, t));
    }
    map.set(`${pkg.name}:package`, dir);
  }
  return map;
}

function resolveSpec(root, exportsMap, from, spec) {
  if (exportsMap.has(spec)) return { file: exportsMap.get(spec), viaPackage: true };
  for (const [name, file] of exportsMap) {
    if (name.endsWith(':package')) {
      const pkgName = name.slice(0, -':package'.length);
      if (spec.startsWith(`${pkgName}/`))
        return { file: join(root, file, spec.slice(pkgName.length + 1)), viaPackage: true, unexported: true };
    }
  }
  if (!spec.startsWith('.')) return null; // an npm package
  const base = resolve(dirname(from), spec).replace(/\.(m?js|jsx)$/, '');
  for (const ext of RESOLVE_EXTS) {
    const p = base + ext;
    if (existsSync(p) && statSync(p).isFile()) return { file: p, viaPackage: false };
  }
  return { file: base, viaPackage: false };
}

/**
 * Where a file sits: its package and, in server/src, its module ('root' for files directly in
 * server/src). `entry` is true for a module's index.ts.
 */
function place(root, serverSrc, file) {
  const rel = posix(relative(root, file));
  const pkg = PACKAGES.find((p) => rel === p || rel.startsWith(`${p}/`)) ?? null;
  const srv = `${serverSrc}/`;
  if (!rel.startsWith(srv)) return { rel, pkg, module: null, entry: false };
  const rest = rel.slice(srv.length).split('/');
  if (rest.length === 1) return { rel, pkg, module: 'root', entry: false };
  return { rel, pkg, module: rest[0], entry: rest.length === 2 && /^index\.tsx?$/.test(rest[1]) };
}

// ---------------------------------------------------------------------------------------------
// The check.

/**
 * @param {{ root: string, rules: object }} opts `rules` is the parsed boundaries.json
 * @returns {{ arrows: Map<string, {imports: number, typeOnly: number, files: Set<string>}>,
 *   moduleArrows: Map<string, {imports: number, typeOnly: number, files: Set<string>}>,
 *   violations: {rule: string, where: string, message: string}[] }}
 */
export function checkBoundaries({ root, rules }) {
  const serverSrc = rules.serverSource ?? 'server/src';
  const modules = new Set(rules.modules);
  const rootOnly = new Set(rules.rootOnly ?? []);
  const allowed = new Map(Object.entries(rules.allowed ?? {}).map(([k, v]) => [k, new Set(v)]));
  const exportsMap = packageExports(root);
  const scanned = (rules.scan ?? ['server/src', 'shared/src', 'web-client/src']).flatMap((d) =>
    walk(join(root, d)),
  );

  const violations = [];
  const arrows = new Map(); // between parts: server:<module>, shared, web-client
  const moduleArrows = new Map(); // between server modules (root included)
  const note = (map, key, rel, typeOnly) => {
    const a = map.get(key) ?? { imports: 0, typeOnly: 0, files: new Set() };
    a.imports++;
    if (typeOnly) a.typeOnly++;
    a.files.add(rel);
    map.set(key, a);
  };
  const partOf = (p) => (p.module ? `server:${p.module}` : (p.pkg ?? p.rel.split('/')[0]));
  const unknown = new Set();

  for (const file of scanned) {
    const from = place(root, serverSrc, file);
    if (from.module && from.module !== 'root' && !modules.has(from.module)) unknown.add(from.module);
    for (const imp of readImports(readFileSync(file, 'utf8'))) {
      const r = resolveSpec(root, exportsMap, file, imp.spec);
      if (!r) continue;
      const to = place(root, serverSrc, r.file);
      const where = `${from.rel}:${imp.line}`;
      const fail = (rule, message) => violations.push({ rule, where, message: `${message} (${imp.spec})` });

      if (from.pkg !== to.pkg) {
        if (from.pkg === 'shared' && (to.pkg === 'server' || to.pkg === 'web-client'))
          fail('c', `shared imports ${to.pkg} code`);
        if (from.pkg === 'web-client' && to.pkg === 'server') fail('d', 'web-client imports server code');
        if (!r.viaPackage && to.pkg)
          fail('b', `relative import into another package (${to.pkg}); use its package name`);
        if (r.unexported) fail('b', `import past ${to.pkg}'s package exports`);
      }
      const a = partOf(from);
      const b = partOf(to);
      if (a !== b) note(arrows, `${a} -> ${b}`, from.rel, imp.typeOnly);

      if (!from.module || !to.module || from.module === to.module) continue;
      note(moduleArrows, `${from.module} -> ${to.module}`, from.rel, imp.typeOnly);
      if (to.module !== 'root' && !to.entry) fail('b', `import past ${to.module}/index.ts`);
      if (from.module === 'root' || !modules.has(from.module)) continue; // unknown modules: reported once below
      if (rootOnly.has(to.module))
        fail('a', `${from.module} imports ${to.module}/, which only the composition root may`);
      else if (!allowed.get(from.module)?.has(to.module))
        fail('f', `${from.module} -> ${to.module} is not an allowed arrow in boundaries.json`);
    }
  }
  for (const m of unknown)
    violations.push({
      rule: 'f',
      where: `${serverSrc}/${m}/`,
      message: `module '${m}' is not listed in boundaries.json`,
    });
  for (const cycle of cycles(moduleArrows))
    violations.push({ rule: 'e', where: cycle.join(' -> '), message: 'cycle between server modules' });
  return { arrows, moduleArrows, violations };
}

/** Strongly connected components with more than one module (Tarjan), each as a closed path. */
function cycles(moduleArrows) {
  const graph = new Map();
  for (const key of moduleArrows.keys()) {
    const [a, b] = key.split(' -> ');
    if (!graph.has(a)) graph.set(a, []);
    if (!graph.has(b)) graph.set(b, []);
    graph.get(a).push(b);
  }
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(closedPath(graph, new Set(scc)));
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** A path that starts at the alphabetically first module of `scc` and returns to it. */
function closedPath(graph, scc) {
  const start = [...scc].sort()[0];
  const back = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of [...graph.get(v)].sort()) {
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = back.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (scc.has(w) && !back.has(w)) {
        back.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

/** The report the CLI prints: arrows with counts, then violations. */
export function formatReport({ arrows, moduleArrows, violations }) {
  const fmt = (map) =>
    [...map.entries()]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(
        ([k, a]) =>
          `  ${k.padEnd(40)} ${String(a.imports).padStart(3)} imports (${a.typeOnly} type-only) in ${a.files.size} files`,
      );
  const lines = [
    'Arrows between server modules:',
    ...fmt(moduleArrows),
    '',
    'Arrows between packages and parts:',
    ...fmt(arrows),
    '',
  ];
  if (violations.length === 0) lines.push('Boundary check: no violations.');
  else {
    lines.push(`Boundary check: ${violations.length} violation(s):`);
    for (const v of violations) lines.push(`  (${v.rule}) ${v.where}  ${v.message}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const root = resolve(opt('--root', resolve(dirname(fileURLToPath(import.meta.url)), '..')));
  const rulesFile = resolve(opt('--rules', join(root, 'scripts/boundaries.json')));
  const result = checkBoundaries({ root, rules: JSON.parse(readFileSync(rulesFile, 'utf8')) });
  console.log(formatReport(result));
  process.exitCode = result.violations.length > 0 ? 1 : 0;
}
