import type { FileInfo } from '@imw/shared';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { useT } from '../../i18n/useT';
import { useChatStore } from '../../state/AppState';
import type { ChatMessage, ConversationKey } from '../../state/chat';
import { useStore } from '../../state/store';

/**
 * #16: a small curated emoji set of our own instead of `emoji-picker-element`, which needs inline
 * styles the page's CSP forbids (style-src 'self'); these are plain buttons, and the server
 * accepts any single emoji (R-REACT-2).
 */
export const EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🎉', '🙏', '👀'] as const;

interface RichConversation {
  key: ConversationKey;
  me: number;
  /** A user's name as this conversation shows it (quotes, who reacted). */
  nameOfUser(userId: number | null): string;
  replyTo: ChatMessage | null;
  setReplyTo(m: ChatMessage | null): void;
  /** R-RPL-1: loads the original if needed, scrolls to it and marks it for a moment. */
  jump(seq: number): void;
  highlight: number | null;
  sendFiles(files: readonly File[]): void;
  sendText(text: string): void;
}

const Ctx = createContext<RichConversation | null>(null);
export const useRich = () => useContext(Ctx);

/** Jumps asked for before the conversation was on screen (a search hit opens it), by key. */
const pendingJumps = new Map<ConversationKey, number>();
export function jumpWhenOpen(key: ConversationKey, seq: number): void {
  pendingJumps.set(key, seq);
}

/** Wraps an open conversation: replies, jumps, and files dropped anywhere on it. */
export function RichConversationProvider({
  conversationKey: key,
  me,
  nameOfUser,
  children,
}: {
  conversationKey: ConversationKey;
  me: number;
  nameOfUser: (userId: number | null) => string;
  children: ReactNode;
}) {
  const { t } = useT();
  const chat = useChatStore();
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  const [highlight, setHighlight] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);

  const jump = useCallback(
    (seq: number) => {
      void chat.reveal(key, seq).then((held) => {
        if (!held) return;
        setHighlight(seq);
        requestAnimationFrame(() =>
          document.querySelector(`[data-seq="${seq}"]`)?.scrollIntoView({ block: 'center' }),
        );
      });
    },
    [chat, key],
  );
  const loaded = useStore(chat, (s) => s.conversations.get(key)?.loaded ?? false);
  useEffect(() => {
    const seq = pendingJumps.get(key);
    if (seq === undefined || !loaded) return;
    pendingJumps.delete(key);
    jump(seq);
  }, [key, loaded, jump]);

  const value: RichConversation = {
    key,
    me,
    nameOfUser,
    replyTo,
    setReplyTo,
    jump,
    highlight,
    sendFiles: (files) => {
      for (const f of files) void chat.sendFile(key, f, f.name || 'file', replyTo?.seq ?? undefined);
      setReplyTo(null);
    },
    sendText: (text) => {
      void chat.send(key, text, replyTo?.seq ?? undefined);
      setReplyTo(null);
    },
  };
  return (
    <Ctx.Provider value={value}>
      <section
        aria-label={t('chat:file.dropHint')}
        className={dragging ? 'rich-drop rich-drop--active' : 'rich-drop'}
        data-testid="conversation-drop"
        onDragOver={(e) => {
          if (!e.dataTransfer.types.includes('Files')) return;
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          setDragging(false);
          if (e.dataTransfer.files.length === 0) return;
          e.preventDefault();
          value.sendFiles([...e.dataTransfer.files]);
        }}
      >
        {children}
      </section>
    </Ctx.Provider>
  );
}

const formatSize = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1048576
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1048576).toFixed(1)} MB`;

/** An attached file: an image's thumbnail (opening the full image), anything else a download link. */
export function Attachment({ file }: { file: FileInfo }) {
  const { t } = useT();
  const chat = useChatStore();
  const token = useStore(chat, () => chat.tokenNow());
  if (!token) return <p className="message-file">{t('chat:file.loading')}</p>;
  const url = `/files/${file.fileId}?t=${encodeURIComponent(token)}`;
  if (file.kind === 'image') {
    return (
      <a className="message-image" href={url} target="_blank" rel="noreferrer">
        <img src={file.thumb ? `${url}&thumb=1` : url} alt={t('chat:file.imageAlt', { name: file.name })} />
      </a>
    );
  }
  return (
    <a className="message-file" href={url} download={file.name}>
      {t('chat:file.download', { name: file.name, size: formatSize(file.size) })}
    </a>
  );
}

/** The upload's progress bar (a <progress>: no inline style, CSP). */
export function UploadProgress({ upload }: { upload: NonNullable<ChatMessage['upload']> }) {
  const { t } = useT();
  const pct = upload.total > 0 ? Math.round((upload.loaded / upload.total) * 100) : 0;
  return (
    <p className="message-upload">
      <progress max={100} value={pct} aria-label={t('chat:file.uploading', { name: upload.name })} />{' '}
      <span>{t('chat:file.progress', { pct })}</span>
    </p>
  );
}

/** R-RPL-2: the quoted start of the message replied to; a click jumps to it. */
export function QuoteBlock({ m }: { m: ChatMessage }) {
  const { t } = useT();
  const rich = useRich();
  const chat = useChatStore();
  const seq = m.replyTo;
  // A live message carries only the seq: the original, when held, makes the quote.
  const held = useStore(chat, (s) =>
    seq === undefined || !rich
      ? undefined
      : s.conversations.get(rich.key)?.messages.find((x) => x.seq === seq),
  );
  if (seq === undefined) return null;
  const q =
    m.quote ??
    (held
      ? {
          seq,
          from: held.from,
          text: held.text,
          recalled: held.recalled === true,
          file: held.file !== undefined,
        }
      : undefined);
  const text = !q
    ? t('chat:reply.unavailable')
    : q.recalled
      ? t('chat:recall.quoted')
      : q.text || (q.file ? t('chat:file.attachment') : '');
  return (
    <button type="button" className="message-quote" onClick={() => rich?.jump(seq)}>
      {q && <span className="message-quote-author">{rich?.nameOfUser(q.from)}</span>} <span>{text}</span>
    </button>
  );
}

/** R-REACT-1: counts with who reacted (in the title), a click toggles one's own; the picker adds. */
export function Reactions({ m }: { m: ChatMessage }) {
  const { t } = useT();
  const chat = useChatStore();
  const rich = useRich();
  const [picking, setPicking] = useState(false);
  if (m.seq === null || m.recalled || !rich) return null;
  const seq = m.seq;
  const me = rich.me;
  const toggle = (emoji: string, on: boolean) => {
    setPicking(false);
    chat.react(rich.key, seq, emoji, on).catch((e: unknown) => console.warn('reaction failed', e));
  };
  return (
    <div className="message-reactions">
      {(m.reactions ?? []).map((r) => {
        const mine = r.userIds.includes(me);
        return (
          <button
            key={r.emoji}
            type="button"
            className={mine ? 'reaction reaction--mine' : 'reaction'}
            aria-pressed={mine}
            title={t('chat:react.who', { names: r.userIds.map((u) => rich.nameOfUser(u)).join(', ') })}
            onClick={() => toggle(r.emoji, !mine)}
          >
            {r.emoji} <span className="reaction-count">{r.userIds.length}</span>
          </button>
        );
      })}
      <button
        type="button"
        className="reaction reaction--add"
        aria-expanded={picking}
        title={t('chat:react.add')}
        aria-label={t('chat:react.add')}
        onClick={() => setPicking((p) => !p)}
      >
        +
      </button>
      {picking && (
        <div className="emoji-picker" role="menu" aria-label={t('chat:react.picker')}>
          {EMOJI.map((e) => (
            <button
              key={e}
              type="button"
              role="menuitem"
              className="emoji-choice"
              onClick={() => toggle(e, true)}
            >
              {e}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
