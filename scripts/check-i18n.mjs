#!/usr/bin/env node
// `npm run check:i18n` (also a step of `npm test`): the web client's strings are complete in every
// language (R-I18N-1). Reads web-client/src/i18n/locales/<language>/<namespace>.json and every
// .ts/.tsx file under web-client/src with a real parser (@babel/parser), and fails on:
//
//   missing      a key present in one language and not in another (plural forms count as one key)
//   plural       a plural key without every form its language needs (Intl.PluralRules categories)
//   values       a translation whose {{placeholders}} or <tags> differ from the reference language's
//   empty        an empty translation, or a key that names an object instead of a string
//   unknown      a key used in code ('namespace:key' in any string) that the reference language lacks
//   unused       a key no code uses (dead strings rot: nobody keeps them translated)
//   literal      text in JSX that is not translated: JSX text, a user-visible attribute
//                (title, aria-label, placeholder, alt, label, …) or a string expression among
//                the children. Text without letters ('·', '—', '99+') is fine; a line marked
//                `i18n-ignore` (or the line after such a comment) is skipped.
//
// Keys are written whole in code, `namespace:key.path`, so a plain scan finds every use. A key
// built in a template (`account:avatar.${id}`) counts as a use of every key under its fixed prefix.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@babel/parser';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const KEY_CHARS = /^[A-Za-z0-9_.]+$/;
const LETTER = /\p{L}/u;
/** Attributes whose text a user reads or hears. */
const VISIBLE_ATTRS = new Set([
  'title',
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'aria-valuetext',
  'alt',
  'placeholder',
  'label',
  'hint',
  'subtitle',
  'buttonLabel',
  'confirmLabel',
  'emptyText',
]);

/** Flattens a namespace's JSON into `ns:dotted.key` → value (objects recurse; anything else is a leaf). */
function flatten(ns, obj, prefix = '', out = new Map()) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(ns, v, key, out);
    else out.set(`${ns}:${key}`, v);
  }
  return out;
}

export function readLocales(localesDir) {
  const languages = readdirSync(localesDir)
    .filter((d) => statSync(join(localesDir, d)).isDirectory())
    .sort();
  const byLanguage = new Map();
  for (const lang of languages) {
    const keys = new Map();
    for (const file of readdirSync(join(localesDir, lang)).filter((f) => f.endsWith('.json'))) {
      const ns = file.slice(0, -'.json'.length);
      const json = JSON.parse(readFileSync(join(localesDir, lang, file), 'utf8'));
      for (const [k, v] of flatten(ns, json)) keys.set(k, v);
    }
    byLanguage.set(lang, keys);
  }
  return byLanguage;
}

const baseKey = (k) => k.replace(PLURAL_SUFFIX, '');
const tokens = (s) =>
  typeof s === 'string'
    ? [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}|<\/?(\w+)\s*\/?>/g)].map((m) => m[1] ?? `<${m[2]}>`)
    : [];
const tokenSet = (values) => [...new Set(values.flatMap(tokens))].sort().join(' ');

/** Per language: base key → its entries (one, or several plural forms). */
function groupByBase(keys) {
  const out = new Map();
  for (const [k, v] of keys) {
    const b = baseKey(k);
    if (!out.has(b)) out.set(b, new Map());
    out.get(b).set(k, v);
  }
  return out;
}

export function checkLocales(byLanguage, reference) {
  const problems = [];
  const grouped = new Map([...byLanguage].map(([lang, keys]) => [lang, groupByBase(keys)]));
  const all = new Set([...grouped.values()].flatMap((g) => [...g.keys()]));
  for (const base of [...all].sort()) {
    const ref = grouped.get(reference)?.get(base);
    for (const [lang, g] of grouped) {
      const entries = g.get(base);
      if (!entries) {
        problems.push({ kind: 'missing', where: `${lang}`, message: `${base} is missing in ${lang}` });
        continue;
      }
      for (const [k, v] of entries) {
        if (typeof v !== 'string')
          problems.push({ kind: 'empty', where: lang, message: `${k} is not a string` });
        else if (v.trim() === '')
          problems.push({ kind: 'empty', where: lang, message: `${k} is empty in ${lang}` });
      }
      const plural = [...entries.keys()].some((k) => PLURAL_SUFFIX.test(k));
      if (plural) {
        const need = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
        for (const cat of need) {
          if (!entries.has(`${base}_${cat}`))
            problems.push({
              kind: 'plural',
              where: lang,
              message: `${base} lacks the "${cat}" form in ${lang}`,
            });
        }
      }
      if (ref && lang !== reference && tokenSet([...entries.values()]) !== tokenSet([...ref.values()])) {
        problems.push({
          kind: 'values',
          where: lang,
          message: `${base}: placeholders/tags {${tokenSet([...entries.values()])}} in ${lang} differ from {${tokenSet([...ref.values()])}} in ${reference}`,
        });
      }
    }
  }
  return problems;
}

function sourceFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'locales') continue;
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Calls `visit` on every AST node (objects with a string `type`). */
function walk(node, visit, parent = null) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit, parent);
    return;
  }
  if (typeof node.type !== 'string') return;
  visit(node, parent);
  for (const [k, v] of Object.entries(node)) {
    if (k === 'loc' || k === 'start' || k === 'end' || k.endsWith('Comments') || k === 'extra') continue;
    if (v && typeof v === 'object') walk(v, visit, node);
  }
}

/** String and template pieces reachable from a JSX child expression without entering a call. */
function visibleStrings(expr, out = []) {
  if (!expr) return out;
  switch (expr.type) {
    case 'StringLiteral':
      out.push({ text: expr.value, node: expr });
      break;
    case 'TemplateLiteral':
      out.push({ text: expr.quasis.map((q) => q.value.cooked ?? '').join(' '), node: expr });
      break;
    case 'ConditionalExpression':
      visibleStrings(expr.consequent, out);
      visibleStrings(expr.alternate, out);
      break;
    case 'LogicalExpression':
      visibleStrings(expr.right, out);
      break;
    case 'BinaryExpression':
      if (expr.operator === '+') {
        visibleStrings(expr.left, out);
        visibleStrings(expr.right, out);
      }
      break;
    default:
  }
  return out;
}

/**
 * Reads the code: the keys it names (`ns:key` in any string or template) and, in .tsx files,
 * JSX text that is not translated.
 */
export function scanSource(srcDir, namespaces, root = srcDir) {
  const keyRe = new RegExp(`^(${namespaces.join('|')}):(.+)$`);
  const used = new Map();
  const prefixes = new Map();
  const literals = [];
  for (const file of sourceFiles(srcDir)) {
    const code = readFileSync(file, 'utf8');
    const rel = relative(root, file);
    const lines = code.split('\n');
    const ignored = (line) =>
      /i18n-ignore/.test(lines[line - 1] ?? '') || /i18n-ignore/.test(lines[line - 2] ?? '');
    const ast = parse(code, {
      sourceType: 'module',
      plugins: file.endsWith('.tsx') ? ['typescript', 'jsx'] : ['typescript'],
    });
    const note = (node, text, why) => {
      // JSX text starts right after the tag, often a line before its first word.
      const lead = node.type === 'JSXText' ? (/^\s*/.exec(text)?.[0].split('\n').length ?? 1) - 1 : 0;
      const line = (node.loc?.start.line ?? 0) + lead;
      if (!ignored(line))
        literals.push({ where: `${rel}:${line}`, message: `${why}: "${text.trim().slice(0, 60)}"` });
    };
    walk(ast.program, (node, parent) => {
      if (node.type === 'StringLiteral') {
        const m = keyRe.exec(node.value);
        if (m && KEY_CHARS.test(m[2])) {
          if (!used.has(node.value)) used.set(node.value, `${rel}:${node.loc?.start.line}`);
        }
      } else if (node.type === 'TemplateLiteral' && node.quasis.length > 1) {
        const head = node.quasis[0]?.value.cooked ?? '';
        const m = keyRe.exec(head);
        if (m && /^[A-Za-z0-9_.]*$/.test(m[2])) prefixes.set(head, `${rel}:${node.loc?.start.line}`);
      } else if (node.type === 'JSXText') {
        if (LETTER.test(node.value)) note(node, node.value, 'untranslated JSX text');
      } else if (node.type === 'JSXAttribute') {
        const name = node.name.type === 'JSXIdentifier' ? node.name.name : '';
        if (!VISIBLE_ATTRS.has(name) || !node.value) return;
        const strings =
          node.value.type === 'StringLiteral'
            ? [{ text: node.value.value, node: node.value }]
            : node.value.type === 'JSXExpressionContainer'
              ? visibleStrings(node.value.expression)
              : [];
        for (const s of strings) {
          if (LETTER.test(s.text) && !keyRe.test(s.text)) note(s.node, s.text, `untranslated ${name}`);
        }
      } else if (
        node.type === 'JSXExpressionContainer' &&
        parent &&
        /^JSX(Element|Fragment)$/.test(parent.type)
      ) {
        for (const s of visibleStrings(node.expression)) {
          if (LETTER.test(s.text) && !keyRe.test(s.text)) note(s.node, s.text, 'untranslated JSX string');
        }
      }
    });
  }
  return { used, prefixes, literals };
}

/** Everything: the locale files against each other, and the code against the reference language. */
export function checkI18n({ srcDir, localesDir, reference = 'en', root = srcDir }) {
  if (!existsSync(localesDir)) throw new Error(`no locales folder at ${localesDir}`);
  const byLanguage = readLocales(localesDir);
  if (!byLanguage.has(reference)) throw new Error(`no reference language "${reference}" in ${localesDir}`);
  const problems = checkLocales(byLanguage, reference);
  const refKeys = groupByBase(byLanguage.get(reference));
  const namespaces = [...new Set([...refKeys.keys()].map((k) => k.split(':')[0]))];
  const { used, prefixes, literals } = scanSource(srcDir, namespaces, root);
  for (const [key, where] of used) {
    if (!refKeys.has(key))
      problems.push({ kind: 'unknown', where, message: `${key} is used but not defined in ${reference}` });
  }
  for (const [prefix, where] of prefixes) {
    if (![...refKeys.keys()].some((k) => k.startsWith(prefix)))
      problems.push({
        kind: 'unknown',
        where,
        message: `no key starts with ${prefix} (built in a template)`,
      });
  }
  for (const key of refKeys.keys()) {
    if (!used.has(key) && ![...prefixes.keys()].some((p) => key.startsWith(p)))
      problems.push({ kind: 'unused', where: reference, message: `${key} is defined but no code uses it` });
  }
  for (const l of literals) problems.push({ kind: 'literal', ...l });
  return { languages: [...byLanguage.keys()], keys: refKeys.size, problems };
}

export function formatReport(result) {
  const { languages, keys, problems } = result;
  if (problems.length === 0) return `i18n check: ${keys} keys in ${languages.join(', ')}; no problems.`;
  return [
    `i18n check: ${problems.length} problem(s) (${keys} keys in ${languages.join(', ')}):`,
    ...problems.map((p) => `  [${p.kind}] ${p.where}  ${p.message}`),
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const root = resolve(opt('--root', resolve(dirname(fileURLToPath(import.meta.url)), '..')));
  const srcDir = join(root, 'web-client/src');
  const result = checkI18n({ srcDir, localesDir: join(srcDir, 'i18n/locales'), root });
  console.log(formatReport(result));
  process.exitCode = result.problems.length > 0 ? 1 : 0;
}
