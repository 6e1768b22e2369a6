import type { FriendEntry } from '@imw/shared';
import { useDirect } from '../../state/AppState';
import { useStore } from '../../state/store';
import { Icon } from '../Icon';
import { StreamVideo } from './StreamVideo';

const PHASE_TEXT = {
  incoming: 'wants to connect directly. Accept above to start.',
  calling: 'Waiting for your friend to accept the direct connection…',
  connecting: 'Connecting directly…',
  open: 'Direct (peer-to-peer)',
} as const;

/** The direct connection with this friend: its state, the call controls and the videos. */
export function DirectPanel({ friend }: { friend: FriendEntry }) {
  const direct = useDirect();
  const session = useStore(direct, (s) => (s.session?.peerId === friend.userId ? s.session : null));
  const ended = useStore(direct, (s) => (s.ended?.peerId === friend.userId ? s.ended : null));
  const problem = useStore(direct, (s) => s.problem);

  if (!session) {
    if (!ended) return null;
    return (
      <div className="direct direct--ended">
        <p>{ended.reason}</p>
        <button
          type="button"
          className="button button--small button--secondary"
          onClick={() => direct.dismissEnded()}
        >
          OK
        </button>
      </div>
    );
  }

  const open = session.phase === 'open';
  const hasRemoteVideo = (session.remote?.getVideoTracks().length ?? 0) > 0;
  return (
    <section className={`direct direct--${session.phase}`} aria-label="Direct connection">
      <div className="direct-bar">
        <p className="direct-state">
          <span className="direct-dot" aria-hidden="true" />
          {session.phase === 'incoming'
            ? `${friend.displayName} ${PHASE_TEXT.incoming}`
            : PHASE_TEXT[session.phase]}
        </p>
        <div className="direct-controls">
          {open && !session.local && (
            <button
              type="button"
              className="button button--small"
              onClick={() => void direct.startCall(true)}
            >
              <Icon name="video" size={16} />
              {session.remote ? 'Join call' : 'Start call'}
            </button>
          )}
          {session.local && (
            <>
              <button
                type="button"
                className="button button--small button--secondary"
                aria-pressed={session.muted}
                onClick={() => direct.toggleMute()}
              >
                <Icon name="mic" size={16} />
                Mute
              </button>
              <button
                type="button"
                className="button button--small button--secondary"
                aria-pressed={session.cameraOff}
                disabled={session.local.getVideoTracks().length === 0}
                onClick={() => direct.toggleCamera()}
              >
                <Icon name="video" size={16} />
                Camera off
              </button>
            </>
          )}
          {session.phase !== 'incoming' && (
            <button
              type="button"
              className="button button--small button--danger"
              onClick={() => direct.hangUp()}
            >
              <Icon name="hangup" size={16} />
              Hang up
            </button>
          )}
        </div>
      </div>
      {problem && <p className="direct-problem">{problem}</p>}
      {(session.remote || session.local) && (
        <div className="direct-videos">
          {session.remote && (
            <StreamVideo
              stream={session.remote}
              label="Remote video"
              className={hasRemoteVideo ? 'video--remote' : 'video--remote video--audio-only'}
            />
          )}
          {session.local && (
            <StreamVideo stream={session.local} label="Your camera" muted className="video--local" />
          )}
        </div>
      )}
    </section>
  );
}
