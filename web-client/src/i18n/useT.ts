import { useTranslation } from 'react-i18next';
import { NAMESPACES } from './resources';

/**
 * `useTranslation` over every namespace: components write keys as `namespace:key` (typed, and
 * found by scripts/check-i18n.mjs), whatever area of the app they belong to.
 */
export const useT = () => useTranslation(NAMESPACES);
