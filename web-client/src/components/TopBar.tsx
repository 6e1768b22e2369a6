import type { ReactNode } from 'react';
import { useT } from '../i18n/useT';
import { ConnectionBadge } from './ConnectionBadge';
import { Icon } from './Icon';
import { LanguageSwitch } from './LanguageSwitch';

/** The bar on every screen: brand, connection badge, language, and slots for what the screen adds. */
export function TopBar({ start, end }: { start?: ReactNode; end?: ReactNode }) {
  const { t } = useT();
  return (
    <header className="topbar">
      {start}
      <span className="brand">
        <span className="brand-mark">
          <Icon name="chat" size={18} />
        </span>
        <span className="brand-name">{t('common:appName')}</span>
      </span>
      <ConnectionBadge />
      <div className="topbar-end">
        <LanguageSwitch />
        {end}
      </div>
    </header>
  );
}
