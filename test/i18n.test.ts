import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkI18n, type I18nProblem } from '../scripts/check-i18n.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const SCRIPT = join(ROOT, 'scripts/check-i18n.mjs');

/** A small web client shaped like ours whose strings are complete; each test breaks one thing. */
const CLEAN: Record<string, string> = {
  'web-client/src/i18n/locales/en/chat.json': JSON.stringify({
    send: 'Send',
    unread_one: '{{count}} unread',
    unread_other: '{{count}} unread',
    hello: 'Hello, <b>{{name}}</b>',
    avatar: { fox: 'Fox', cat: 'Cat' },
  }),
  'web-client/src/i18n/locales/zh-CN/chat.json': JSON.stringify({
    send: '发送',
    unread_other: '{{count}} 条未读',
    hello: '你好，<b>{{name}}</b>',
    avatar: { fox: '狐狸', cat: '猫' },
  }),
  'web-client/src/App.tsx': [
    'declare const t: (k: string, v?: object) => string;',
    'declare const id: string;',
    'export const App = () => (',
    "  <div title={t('chat:send')} aria-label={t('chat:unread', { count: 2 })}>",
    "    {t('chat:hello', { name: 'x' })} {'·'} 99+",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture's source holds a template literal
    '    {t(`chat:avatar.${id}`)}',
    '  </div>',
    ');',
  ].join('\n'),
};

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function tree(changes: Record<string, string | null> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'imw-i18n-'));
  dirs.push(root);
  for (const [path, text] of Object.entries({ ...CLEAN, ...changes })) {
    if (text === null) continue;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const check = (root: string) =>
  checkI18n({
    srcDir: join(root, 'web-client/src'),
    localesDir: join(root, 'web-client/src/i18n/locales'),
    root,
  }).problems;
const kinds = (ps: I18nProblem[]) => ps.map((p) => `${p.kind}: ${p.message}`);

const en = (o: object) => ({ 'web-client/src/i18n/locales/en/chat.json': JSON.stringify(o) });
const zh = (o: object) => ({ 'web-client/src/i18n/locales/zh-CN/chat.json': JSON.stringify(o) });
const ZH = JSON.parse(CLEAN['web-client/src/i18n/locales/zh-CN/chat.json']!);
const EN = JSON.parse(CLEAN['web-client/src/i18n/locales/en/chat.json']!);
const app = (jsx: string) => ({
  'web-client/src/Extra.tsx': `declare const t: (k: string) => string;\nexport const X = () => ${jsx};\n`,
});

describe('scripts/check-i18n.mjs', () => {
  it('R-I18N-1: the fixture is clean, and so is the real web client', () => {
    expect(kinds(check(tree()))).toEqual([]);
    const real = spawnSync(process.execPath, [SCRIPT], { cwd: ROOT, encoding: 'utf8' });
    expect(real.stdout).toContain('no problems');
    expect(real.status).toBe(0);
  });

  it('R-I18N-1: a key missing in either language fails', () => {
    const { send: _, ...zhNoSend } = ZH;
    expect(kinds(check(tree(zh(zhNoSend))))).toEqual(['missing: chat:send is missing in zh-CN']);
    const extra = check(tree(zh({ ...ZH, only: '只有中文' })));
    expect(kinds(extra)).toEqual(['missing: chat:only is missing in en']);
  });

  it('R-I18N-1: a plural without the forms its language needs fails', () => {
    const { unread_one: _, ...enNoOne } = EN;
    expect(kinds(check(tree(en(enNoOne))))).toEqual(['plural: chat:unread lacks the "one" form in en']);
  });

  it('R-I18N-1: a translation that drops a placeholder or a tag fails', () => {
    const ps = check(tree(zh({ ...ZH, hello: '你好' })));
    expect(ps.map((p) => p.kind)).toEqual(['values']);
  });

  it('R-I18N-1: a key used in code but absent fails, and so does one no code uses', () => {
    const ps = check(tree(app("<p>{t('chat:nope')}</p>")));
    expect(kinds(ps)).toEqual(['unknown: chat:nope is used but not defined in en']);
    const unused = check(tree({ ...en({ ...EN, old: 'Old' }), ...zh({ ...ZH, old: '旧' }) }));
    expect(kinds(unused)).toEqual(['unused: chat:old is defined but no code uses it']);
  });

  it('R-I18N-1: untranslated JSX text, visible attributes and string children fail; marked lines and symbols pass', () => {
    const ps = check(
      tree(
        app(`(
  <div title="Close" placeholder={'Say'}>
    Hello there
    {true ? 'Yes' : t('chat:send')}
    {'→'}
    {/* i18n-ignore */}
    IM World
  </div>
)`),
      ),
    );
    expect(ps.map((p) => `${p.kind} ${p.where}`)).toEqual([
      'literal web-client/src/Extra.tsx:3',
      'literal web-client/src/Extra.tsx:3',
      'literal web-client/src/Extra.tsx:4',
      'literal web-client/src/Extra.tsx:5',
    ]);
  });

  it('R-I18N-1: the command exits 1 and names the problem', () => {
    const { send: _, ...zhNoSend } = ZH;
    const root = tree(zh(zhNoSend));
    const r = spawnSync(process.execPath, [SCRIPT, '--root', root], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('[missing]');
    expect(r.stdout).toContain('chat:send is missing in zh-CN');
  });
});
