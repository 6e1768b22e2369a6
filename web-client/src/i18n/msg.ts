import type { ParseKeys } from 'i18next';
import type { NAMESPACES } from './resources';

/**
 * A message to show later, as a key and its values instead of words: stores, forms and notices
 * keep these, and components translate them when they render, so a language switch re-words
 * everything already on screen.
 */
export interface Msg {
  readonly key: ParseKeys<typeof NAMESPACES>;
  readonly values?: Readonly<Record<string, unknown>>;
}

export const msg = (key: Msg['key'], values?: Msg['values']): Msg => (values ? { key, values } : { key });
