import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import { useT } from '../../i18n/useT';
import { useClient } from '../../sdk-context';

/**
 * The message box: Enter sends, Shift+Enter starts a new line (and Enter while an input method
 * is composing, e.g. for Chinese, confirms the composition instead of sending).
 */
export function Composer({
  onSend,
  onTyping,
  placeholder,
  hint,
  disabled = false,
}: {
  onSend: (text: string) => void;
  /** Every input (typing indicators, R-TYP-1). */
  onTyping?: () => void;
  placeholder: string;
  hint?: string | null;
  disabled?: boolean;
}) {
  const { t } = useT();
  const [text, setText] = useState('');
  const id = useId();
  const hintId = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  // The server's CHAT_MAX_TEXT_CHARS, announced in sys.hello (it checks again: BAD_REQUEST).
  const maxChars = useClient().limits?.chatMaxTextChars;
  const countId = useId();
  // A counter from 90 % of the limit on, so a long message is not cut without warning.
  const near = maxChars !== undefined && text.length >= Math.floor(maxChars * 0.9);

  function send() {
    const value = text.trim();
    if (!value || disabled) return;
    onSend(value);
    setText('');
    ref.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        send();
      }}
    >
      {hint && (
        <p id={hintId} className="composer-hint">
          {hint}
        </p>
      )}
      <label htmlFor={id} className="visually-hidden">
        {t('chat:composer.label')}
      </label>
      {near && (
        <p
          id={countId}
          className={`composer-count${text.length >= maxChars ? ' composer-count--over' : ''}`}
          aria-live="polite"
        >
          {text.length >= maxChars
            ? t('chat:charCountFull', { used: text.length, max: maxChars })
            : t('chat:charCount', { used: text.length, max: maxChars })}
        </p>
      )}
      <div className="composer-row">
        <textarea
          ref={ref}
          id={id}
          rows={1}
          value={text}
          placeholder={placeholder}
          maxLength={maxChars}
          aria-describedby={[hint ? hintId : '', near ? countId : ''].filter(Boolean).join(' ') || undefined}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value.trim()) onTyping?.();
          }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="button" disabled={disabled || !text.trim()}>
          {t('chat:composer.send')}
        </button>
      </div>
    </form>
  );
}
