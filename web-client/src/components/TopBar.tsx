import type { ReactNode } from 'react';
import { ConnectionBadge } from './ConnectionBadge';
import { Icon } from './Icon';

/** The bar on every screen: brand, connection badge, and slots for what the screen adds. */
export function TopBar({ start, end }: { start?: ReactNode; end?: ReactNode }) {
  return (
    <header className="topbar">
      {start}
      <span className="brand">
        <span className="brand-mark">
          <Icon name="chat" size={18} />
        </span>
        <span className="brand-name">IM World</span>
      </span>
      <ConnectionBadge />
      <div className="topbar-end">{end}</div>
    </header>
  );
}
