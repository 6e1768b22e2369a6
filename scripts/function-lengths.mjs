#!/usr/bin/env node
// Lines per function under a source folder (default server/src), longest first. TypeScript 7 has
// no JS API to ask, so this reads the text: a function starts at a line that declares one
// (function, method, arrow assigned to a name, class member with a body) and ends at the brace
// that closes the block it opened. Strings, template literals and comments are skipped when
// counting braces. Good enough to compare before/after; not a parser.
//   node scripts/function-lengths.mjs [dir] [--top N] [--file path]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
const top = Number(args[args.indexOf('--top') + 1]) || 5;
const onlyFile = args.includes('--file') ? args[args.indexOf('--file') + 1] : null;
const dir =
  args.find((a, i) => !a.startsWith('--') && !['--top', '--file'].includes(args[i - 1])) ?? 'server/src';

function walk(d) {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    if (statSync(p).isDirectory()) return walk(p);
    return /\.tsx?$/.test(n) && !n.endsWith('.d.ts') ? [p] : [];
  });
}

// A line that starts a function body: `function f(`, `async f(...) {`, `const f = (...) => {`,
// `get x() {`, `constructor(`. Control-flow keywords are not functions.
const START =
  /^\s*(?:export\s+)?(?:default\s+)?(?:(?:public|private|protected|static|readonly|async|override|get|set)\s+)*(?:function\s*\*?\s*([\w$]+)|(?:const|let)\s+([\w$]+)\s*(?::[^=]+)?=\s*(?:async\s*)?(?:\([^)]*\)|[\w$]+)?\s*(?::[^=]+)?=>|([\w$]+)\s*(?:<[^>]*>)?\s*\(|['"]?([\w$.]+)['"]?\s*:\s*(?:async\s*)?\([^)]*\)?)/;
const NOT_FUNCTIONS = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'return',
  'await',
  'new',
  'super',
  'typeof',
  'throw',
]);

function functionsIn(file, text) {
  const lines = text.split('\n');
  const depthAt = braceDepths(text);
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const m = START.exec(lines[i]);
    if (!m) continue;
    const name = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (!name || NOT_FUNCTIONS.has(name)) continue;
    // The body opens at the first `{` at this line's depth that leads one level deeper, within a
    // few lines (multi-line parameter lists); it ends where the depth comes back.
    const base = depthAt[i].start;
    let open = -1;
    for (let j = i; j < Math.min(lines.length, i + 15); j++) {
      if (depthAt[j].opensFrom === base && depthAt[j].end > base) {
        open = j;
        break;
      }
      // An empty body (`constructor(private x: X) {}`) ends where it opens.
      if (/\)\s*(?::[^{]+)?\{\s*\}\s*$/.test(lines[j])) {
        open = j;
        break;
      }
      // A statement that ends first was a call, not a declaration.
      if (/;\s*$/.test(lines[j]) || (j > i && depthAt[j].start < base)) break;
    }
    if (open < 0) continue;
    let end = open;
    while (end + 1 < lines.length && depthAt[end].end > base) end++;
    out.push({ file, line: i + 1, name, lines: end - i + 1 });
  }
  // An inner function is counted too; that is fine for a "longest" list.
  return out;
}

/** Per line: depth at its start, at its end, and the depth from which it opens a brace (if any). */
function braceDepths(text) {
  const res = [];
  let depth = 0;
  let state = 'code';
  const templateDepths = [];
  let cur = { start: 0, end: 0, opensFrom: -1 };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const n = text[i + 1];
    if (c === '\n') {
      cur.end = depth;
      res.push(cur);
      cur = { start: depth, end: depth, opensFrom: -1 };
      if (state === 'line') state = 'code';
      continue;
    }
    if (state === 'line') continue;
    if (state === 'block') {
      if (c === '*' && n === '/') {
        state = 'code';
        i++;
      }
      continue;
    }
    if (state === "'" || state === '"') {
      if (c === '\\') i++;
      else if (c === state) state = 'code';
      continue;
    }
    if (state === '`') {
      if (c === '\\') i++;
      else if (c === '`') state = 'code';
      else if (c === '$' && n === '{') {
        templateDepths.push(depth);
        depth++;
        i++;
        state = 'code';
      }
      continue;
    }
    if (c === '/' && n === '/') state = 'line';
    else if (c === '/' && n === '*') state = 'block';
    else if (c === "'" || c === '"' || c === '`') state = c;
    else if (c === '{') {
      if (cur.opensFrom < 0) cur.opensFrom = depth;
      depth++;
    } else if (c === '}') {
      depth--;
      if (templateDepths.length && templateDepths[templateDepths.length - 1] === depth) {
        templateDepths.pop();
        state = '`';
      }
    }
  }
  cur.end = depth;
  res.push(cur);
  return res;
}

const files = onlyFile ? [onlyFile] : walk(dir);
const found = files.flatMap((f) => functionsIn(f, readFileSync(f, 'utf8')));
found.sort((a, b) => b.lines - a.lines);
for (const f of found.slice(0, top)) {
  console.log(`${String(f.lines).padStart(5)}  ${relative(process.cwd(), f.file)}:${f.line}  ${f.name}`);
}
