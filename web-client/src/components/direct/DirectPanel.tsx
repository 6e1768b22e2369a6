import type { FriendEntry } from '@imw/shared';
import { useT } from '../../i18n/useT';
import type { DirectSession } from '../../rtc/direct';
import { useDirect } from '../../state/AppState';
import { useStore } from '../../state/store';
import { Icon } from '../Icon';
import { StreamVideo } from './StreamVideo';

const PHASE_KEY = {
  incoming: 'calls:phase.incoming',
  calling: 'calls:phase.calling',
  connecting: 'calls:phase.connecting',
  open: 'calls:direct.tag',
} as const;

function phaseKey(session: DirectSession) {
  if (session.phase !== 'ringing') return PHASE_KEY[session.phase];
  return session.ring?.dir === 'in' ? 'calls:phase.ringingIn' : 'calls:phase.ringingOut';
}

/** The direct connection with this friend: its state, the call controls and the videos. */
export function DirectPanel({ friend }: { friend: FriendEntry }) {
  const { t } = useT();
  const direct = useDirect();
  const session = useStore(direct, (s) => (s.session?.peerId === friend.userId ? s.session : null));
  const ended = useStore(direct, (s) => (s.ended?.peerId === friend.userId ? s.ended : null));
  const problem = useStore(direct, (s) => s.problem);

  if (!session) {
    if (!ended) return null;
    return (
      <div className="direct direct--ended">
        <p>{t(ended.reason.key, ended.reason.values)}</p>
        <button
          type="button"
          className="button button--small button--secondary"
          onClick={() => direct.dismissEnded()}
        >
          {t('common:ok')}
        </button>
      </div>
    );
  }

  const open = session.phase === 'open';
  const hasRemoteVideo = (session.remote?.getVideoTracks().length ?? 0) > 0;
  return (
    <section className={`direct direct--${session.phase}`} aria-label={t('calls:direct.label')}>
      <div className="direct-bar">
        <p className="direct-state">
          <span className="direct-dot" aria-hidden="true" />
          {t(phaseKey(session), { name: friend.displayName })}
        </p>
        <div className="direct-controls">
          {open && !session.local && !session.ring && (
            <button
              type="button"
              className="button button--small"
              // R-CALL-2: it rings first; the camera turns on when the friend accepts.
              onClick={() => direct.call(friend.userId, true)}
            >
              <Icon name="video" size={16} />
              {session.remote ? t('calls:call.join') : t('calls:call.start')}
            </button>
          )}
          {session.ring?.dir === 'out' && <span className="direct-ringing">{t('calls:ring.outgoing')}</span>}
          {session.local && (
            <>
              <button
                type="button"
                className="button button--small button--secondary"
                aria-pressed={session.muted}
                onClick={() => direct.toggleMute()}
              >
                <Icon name="mic" size={16} />
                {t('calls:call.mute')}
              </button>
              <button
                type="button"
                className="button button--small button--secondary"
                aria-pressed={session.cameraOff}
                disabled={session.local.getVideoTracks().length === 0}
                onClick={() => direct.toggleCamera()}
              >
                <Icon name="video" size={16} />
                {t('calls:call.cameraOff')}
              </button>
            </>
          )}
          {session.phase !== 'incoming' && session.ring?.dir !== 'in' && (
            <button
              type="button"
              className="button button--small button--danger"
              onClick={() => direct.hangUp()}
            >
              <Icon name="hangup" size={16} />
              {t('calls:call.hangUp')}
            </button>
          )}
        </div>
      </div>
      {problem && <p className="direct-problem">{t(problem.key, problem.values)}</p>}
      {(session.remote || session.local) && (
        <div className="direct-videos">
          {session.remote && (
            <StreamVideo
              stream={session.remote}
              label={t('calls:video.remote')}
              className={hasRemoteVideo ? 'video--remote' : 'video--remote video--audio-only'}
            />
          )}
          {session.local && (
            <StreamVideo
              stream={session.local}
              label={t('calls:video.local')}
              muted
              className="video--local"
            />
          )}
        </div>
      )}
    </section>
  );
}
