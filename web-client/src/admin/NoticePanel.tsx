import { type FormEvent, useId, useState } from 'react';
import { useT } from '../i18n/useT';
import type { AdminApi } from './api';

/** R-ADM-4: a system notice or an advertisement to everyone online (one user: from Users). */
export function NoticePanel({ api }: { api: AdminApi }) {
  const { t } = useT();
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
      setStatus(kind === 'notice' ? t('admin:notices.sentNotice') : t('admin:notices.sentAd'));
      setText('');
      setTitle('');
      setLink('');
    } catch (err) {
      setStatus(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <section className="card admin-panel" aria-labelledby="notice-h">
      <h2 id="notice-h">{t('admin:notices.title')}</h2>
      <fieldset className="admin-row admin-choice">
        <legend className="visually-hidden">{t('admin:notices.kind')}</legend>
        <label>
          <input
            type="radio"
            name="notice-kind"
            checked={kind === 'notice'}
            onChange={() => setKind('notice')}
          />{' '}
          {t('admin:notices.system')}
        </label>
        <label>
          <input type="radio" name="notice-kind" checked={kind === 'ad'} onChange={() => setKind('ad')} />{' '}
          {t('admin:notices.ad')}
        </label>
      </fieldset>
      <form onSubmit={submit}>
        {kind === 'ad' && (
          <div className="field">
            <label htmlFor={ids.title}>{t('admin:notices.adTitle')}</label>
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
          <label htmlFor={ids.text}>
            {kind === 'notice' ? t('admin:notices.noticeText') : t('admin:notices.adText')}
          </label>
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
            <label htmlFor={ids.link}>{t('admin:notices.link')}</label>
            <input
              id={ids.link}
              type="url"
              maxLength={500}
              // i18n-ignore: a URL scheme, the same in every language
              placeholder="https://"
              value={link}
              onChange={(e) => setLink(e.target.value)}
            />
          </div>
        )}
        <button type="submit" className="button button--small">
          {t('admin:notices.send')}
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
