import 'i18next';
import type { resources } from './resources';

/** Typed keys: `t('chat:composer.send')` fails to compile when the English key does not exist. */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: (typeof resources)['en'];
  }
}
