import { useId } from 'react';
import { sceneLabel } from '../config';
import { useSignedIn } from '../session';

/**
 * Friends and groups. Placeholders for now: the lists arrive with the friends and groups
 * packets. On narrow screens this is an off-canvas drawer opened from the top bar.
 */
export function Sidebar({ id, open }: { id: string; open: boolean }) {
  const { mode, sceneId } = useSignedIn();
  const friendsId = useId();
  const groupsId = useId();
  return (
    <aside id={id} className={open ? 'sidebar sidebar--open' : 'sidebar'} aria-label="Friends and groups">
      <section className="sidebar-section" aria-labelledby={friendsId}>
        <h2 id={friendsId}>Friends</h2>
        <p className="empty">No friends yet.</p>
      </section>
      <section className="sidebar-section" aria-labelledby={groupsId}>
        <h2 id={groupsId}>Groups</h2>
        <p className="empty">No groups yet.</p>
      </section>
      <p className="sidebar-footer">
        {mode === 'scene' && sceneId ? `World mode · ${sceneLabel(sceneId)}` : 'Chat mode'}
      </p>
    </aside>
  );
}
