import { useT } from '../i18n/useT';
import { useConversationHash } from '../lib/route';
import { useSignedIn } from '../session';
import { useMapName } from '../world/maps';
import { SearchPanel } from './chat/SearchPanel';
import { FriendsPanel } from './friends/FriendsPanel';
import { GroupsPanel } from './groups/GroupsPanel';
import { StatusSelect } from './StatusSelect';

/** Status, friends and groups. On narrow screens an off-canvas drawer opened from the top bar. */
export function Sidebar({ id, open }: { id: string; open: boolean }) {
  const { t } = useT();
  const { mode, sceneId } = useSignedIn();
  const activeKey = useConversationHash();
  const mapName = useMapName(sceneId);
  return (
    <aside id={id} className={open ? 'sidebar sidebar--open' : 'sidebar'} aria-label={t('common:sidebar')}>
      <StatusSelect />
      <FriendsPanel activeKey={activeKey} />
      <GroupsPanel activeKey={activeKey} />
      <SearchPanel />
      <p className="sidebar-footer">
        {mode === 'scene' && sceneId ? t('common:worldMode', { map: mapName }) : t('common:chatMode')}
      </p>
    </aside>
  );
}
