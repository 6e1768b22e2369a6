import { useEffect } from 'react';
import { useT } from '../i18n/useT';
import { useClient } from '../sdk-context';
import { useSignedIn } from '../session';
import { useChatStore, usePrefsStore, useSocialStore } from '../state/AppState';
import type { ChatState } from '../state/chat';
import { groupKey } from '../state/keys';
import { needsAttention, playChime, showNotification } from '../state/notify';
import { useStore } from '../state/store';
import { Icon } from './Icon';

/** The page's own title, before any unread count. */
const BASE_TITLE = 'IM World';

const totalUnread = (s: ChatState): number => {
  let n = 0;
  for (const c of s.conversations.values()) n += c.unread;
  return n;
};

/** R-NOT-1: the number of unread messages, for the title and the phone's menu badge. */
export function useUnreadTotal(): number {
  return useStore(useChatStore(), totalUnread);
}

/**
 * R-NOT-1..3: the unread count in the tab's title; the sound and the desktop notifications the
 * user switched on, for what they cannot see (a hidden tab, another conversation).
 */
export function Attention() {
  const { t } = useT();
  const client = useClient();
  const chat = useChatStore();
  const prefs = usePrefsStore();
  const social = useSocialStore();
  const { profile } = useSignedIn();
  const total = useUnreadTotal();

  useEffect(() => {
    document.title = total > 0 ? `(${total > 99 ? '99+' : total}) ${BASE_TITLE}` : BASE_TITLE;
  }, [total]);
  useEffect(
    () => () => {
      document.title = BASE_TITLE;
    },
    [],
  );

  useEffect(() => {
    const me = profile.userId;
    const settings = () => prefs.getSnapshot().settings;
    const chime = () => {
      if (settings().notifySound) playChime();
    };
    const open = (hash: string) => () => {
      window.location.hash = hash;
    };
    const offs = [
      client.on('chat.message', (m) => {
        if (m.from === me || !needsAttention(me, m.conv, chat.openKey, document.hidden)) return;
        chime();
        if (!settings().notifyDirect) return;
        const name = social.getSnapshot().friends.find((f) => f.userId === m.from)?.displayName ?? '';
        showNotification(t('common:notify.direct', { name }), m.text, open(`#/f:${m.from}`));
      }),
      client.on('chat.groupMessage', (m) => {
        if (m.event || m.from === me || !needsAttention(me, m.conv, chat.openKey, document.hidden)) return;
        chime();
        if (!settings().notifyGroup) return;
        const group = social.getSnapshot().groups.find((g) => g.groupId === m.groupId)?.name ?? '';
        showNotification(
          t('common:notify.group', { name: m.fromName, group }),
          m.text,
          open(`#/${groupKey(m.groupId)}`),
        );
      }),
      client.on('scene.view', (v) => {
        if (!document.hidden || v.enters.length === 0 || !settings().notifyNearby) return;
        const names = v.enters.map((e) => e.displayName).join(', ');
        showNotification(t('common:notify.nearby', { names, count: v.enters.length }), '');
      }),
      client.on('rtc.signal', (s) => {
        if (s.kind !== 'ring' || !document.hidden || !settings().notifyCall) return;
        const name = social.getSnapshot().friends.find((f) => f.userId === s.from)?.displayName ?? '';
        showNotification(t('common:notify.call', { name }), '');
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [client, chat, prefs, social, profile.userId, t]);

  return null;
}

/** The phone layout's menu button, with the unread count on it (R-NOT-1). */
export function MenuButton({
  open,
  controls,
  onToggle,
}: {
  open: boolean;
  controls: string;
  onToggle: () => void;
}) {
  const { t } = useT();
  const total = useUnreadTotal();
  return (
    <button
      type="button"
      className="icon-button menu-button"
      aria-expanded={open}
      aria-controls={controls}
      onClick={onToggle}
    >
      <Icon name="menu" size={22} />
      <span className="visually-hidden">{t('common:menu')}</span>
      {total > 0 && (
        <span className="menu-badge" data-testid="menu-badge">
          <span aria-hidden="true">{total > 99 ? '99+' : total}</span>
          <span className="visually-hidden">{t('common:unread', { count: total })}</span>
        </span>
      )}
    </button>
  );
}
