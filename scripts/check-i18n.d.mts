export interface I18nProblem {
  kind: 'missing' | 'plural' | 'values' | 'empty' | 'unknown' | 'unused' | 'literal';
  where: string;
  message: string;
}
export interface I18nResult {
  languages: string[];
  keys: number;
  problems: I18nProblem[];
}
export function checkI18n(opts: {
  srcDir: string;
  localesDir: string;
  reference?: string;
  root?: string;
}): I18nResult;
export function formatReport(result: I18nResult): string;
