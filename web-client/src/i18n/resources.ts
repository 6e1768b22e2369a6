import enAccount from './locales/en/account.json';
import enAdmin from './locales/en/admin.json';
import enAuth from './locales/en/auth.json';
import enCalls from './locales/en/calls.json';
import enChat from './locales/en/chat.json';
import enCommon from './locales/en/common.json';
import enErrors from './locales/en/errors.json';
import enFriends from './locales/en/friends.json';
import enGroups from './locales/en/groups.json';
import enWorld from './locales/en/world.json';
import zhAccount from './locales/zh-CN/account.json';
import zhAdmin from './locales/zh-CN/admin.json';
import zhAuth from './locales/zh-CN/auth.json';
import zhCalls from './locales/zh-CN/calls.json';
import zhChat from './locales/zh-CN/chat.json';
import zhCommon from './locales/zh-CN/common.json';
import zhErrors from './locales/zh-CN/errors.json';
import zhFriends from './locales/zh-CN/friends.json';
import zhGroups from './locales/zh-CN/groups.json';
import zhWorld from './locales/zh-CN/world.json';

/**
 * One namespace per area of the app (docs/ARCHITECTURE.md, web client): a new screen's strings go
 * in the namespace of its area, or a new one added here and in both locale folders.
 */
export const resources = {
  en: {
    common: enCommon,
    auth: enAuth,
    account: enAccount,
    chat: enChat,
    friends: enFriends,
    groups: enGroups,
    world: enWorld,
    calls: enCalls,
    errors: enErrors,
    admin: enAdmin,
  },
  'zh-CN': {
    common: zhCommon,
    auth: zhAuth,
    account: zhAccount,
    chat: zhChat,
    friends: zhFriends,
    groups: zhGroups,
    world: zhWorld,
    calls: zhCalls,
    errors: zhErrors,
    admin: zhAdmin,
  },
} as const;

export type Namespace = keyof (typeof resources)['en'];
/** Every namespace, so that `t('ns:key')` accepts (and type-checks) a key of any of them. */
export const NAMESPACES = [
  'common',
  'auth',
  'account',
  'chat',
  'friends',
  'groups',
  'world',
  'calls',
  'errors',
  'admin',
] as const satisfies readonly Namespace[];
