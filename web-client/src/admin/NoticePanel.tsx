import { type FormEvent, useId, useState } from 'react';
import type { AdminApi } from './api';

/** R-ADM-4: a system notice or an advertisement to everyone online (one user: from Users). */
export function NoticePanel({ api }: { api: AdminApi }) {
  const [kind, setKind] = useState<'notice' | 'ad'>('notice');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [link, setLink] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const ids = { title: useId(), text: useId(), link: useId() };

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      if (kind === 'notice') await api.notice(text);
      else await api.ad(title, text, link || undefined);
      setStatus(
        kind === 'notice' ? 'Notice sent to everyone online.' : 'Advertisement sent to everyone online.',
      );
      setText('');
      setTitle('');
      setLink('');
    } catch (err) {
      setStatus(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <section className="card admin-panel" aria-labelledby="notice-h">
      <h2 id="notice-h">Notices</h2>
      <fieldset className="admin-row admin-choice">
        <legend className="visually-hidden">Kind</legend>
        <label>
          <input
            type="radio"
            name="notice-kind"
            checked={kind === 'notice'}
            onChange={() => setKind('notice')}
          />{' '}
          System notice
        </label>
        <label>
          <input type="radio" name="notice-kind" checked={kind === 'ad'} onChange={() => setKind('ad')} />{' '}
          Advertisement
        </label>
      </fieldset>
      <form onSubmit={submit}>
        {kind === 'ad' && (
          <div className="field">
            <label htmlFor={ids.title}>Title</label>
            <input
              id={ids.title}
              required
              maxLength={120}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
            />
          </div>
        )}
        <div className="field">
          <label htmlFor={ids.text}>{kind === 'notice' ? 'Notice to everyone online' : 'Text'}</label>
          <textarea
            id={ids.text}
            required
            maxLength={kind === 'notice' ? 2000 : 1000}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        {kind === 'ad' && (
          <div className="field">
            <label htmlFor={ids.link}>Link (optional)</label>
            <input
              id={ids.link}
              type="url"
              maxLength={500}
              placeholder="https://"
              value={link}
              onChange={(e) => setLink(e.target.value)}
            />
          </div>
        )}
        <button type="submit" className="button button--small">
          Send to everyone
        </button>
      </form>
      {status && (
        <p className="admin-muted" role="status">
          {status}
        </p>
      )}
    </section>
  );
}
