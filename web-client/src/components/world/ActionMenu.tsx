import { SCENE_ACTIONS, type SceneAction } from '@imw/shared';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useT } from '../../i18n/useT';
import { Icon } from '../Icon';

const LABEL = {
  wave: 'world:action.wave',
  dance: 'world:action.dance',
  sit: 'world:action.sit',
  jump: 'world:action.jump',
  clap: 'world:action.clap',
  think: 'world:action.think',
} as const satisfies Record<SceneAction, string>;

/** A menu button (WAI-ARIA APG pattern): arrows move, Enter picks, Escape closes. */
export function ActionMenu({ onAction }: { onAction: (a: SceneAction) => void }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const onPointer = (e: PointerEvent) => {
      if (!(e.target instanceof Node)) return;
      if (!menuRef.current?.contains(e.target) && !buttonRef.current?.contains(e.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  function close() {
    setOpen(false);
    buttonRef.current?.focus();
  }

  function onMenuKey(e: KeyboardEvent<HTMLDivElement>) {
    const items = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    const focus = (n: number) => items[(n + items.length) % items.length]?.focus();
    if (e.key === 'ArrowDown') focus(i + 1);
    else if (e.key === 'ArrowUp') focus(i - 1);
    else if (e.key === 'Home') focus(0);
    else if (e.key === 'End') focus(items.length - 1);
    else if (e.key === 'Escape') close();
    else if (e.key === 'Tab') setOpen(false);
    else return;
    if (e.key !== 'Tab') e.preventDefault();
  }

  return (
    <div className="action-menu">
      <button
        ref={buttonRef}
        type="button"
        className="button button--secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
      >
        <Icon name="smile" size={18} />
        {t('world:actions')}
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={t('world:actions')}
          className="menu"
          onKeyDown={onMenuKey}
        >
          {SCENE_ACTIONS.map((a) => (
            <button
              key={a}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="menu-item"
              onClick={() => {
                onAction(a);
                close();
              }}
            >
              {t(LABEL[a])}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
