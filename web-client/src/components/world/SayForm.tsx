import { MAX_SCENE_CHAT_CHARS } from '@imw/shared';
import { type FormEvent, useId, useState } from 'react';
import { useT } from '../../i18n/useT';

/** Proximity chat: only people within hearing range, in the same room, hear it. */
export function SayForm({ onSay }: { onSay: (text: string) => Promise<boolean> }) {
  const { t } = useT();
  const [text, setText] = useState('');
  const [pending, setPending] = useState(false);
  const id = useId();

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const value = text.trim();
    if (!value || pending) return;
    setPending(true);
    const ok = await onSay(value);
    setPending(false);
    if (ok) setText('');
  }

  return (
    <form className="say-form" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        {t('world:say.label')}
      </label>
      <input
        id={id}
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={MAX_SCENE_CHAT_CHARS}
        placeholder={t('world:say.placeholder')}
        autoComplete="off"
        enterKeyHint="send"
        onKeyDown={(e) => {
          // Escape hands the keyboard back to the map.
          if (e.key === 'Escape') document.querySelector<HTMLElement>('.world-canvas')?.focus();
        }}
      />
      <button type="submit" className="button" disabled={pending || !text.trim()}>
        {t('world:say.button')}
      </button>
    </form>
  );
}
