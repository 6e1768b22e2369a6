import { ImError } from '@imw/shared/sdk';
import { useState } from 'react';
import { msg } from '../../i18n';
import { useT } from '../../i18n/useT';
import { describeError, type Problem } from '../../lib/errors';
import { openConversation } from '../../lib/route';
import { useSocialStore } from '../../state/AppState';
import { groupKey } from '../../state/chat';
import { ConfirmDialog } from '../ConfirmDialog';
import { ErrorAlert } from '../ErrorAlert';
import { InlineForm } from '../InlineForm';

const isSameName = (e: unknown) =>
  e instanceof ImError && e.code === 'CONFLICT' && e.details?.includes('sameName');

/**
 * R-GRP-33: creating a second group with a name the user already owns asks first (the server
 * answers CONFLICT with details sameName until the request says allowSameName).
 */
export function CreateGroupForm() {
  const { t } = useT();
  const social = useSocialStore();
  const [asking, setAsking] = useState<string | null>(null);
  const [error, setError] = useState<Problem | null>(null);

  async function createAnyway() {
    const name = asking;
    setAsking(null);
    if (name === null) return;
    try {
      const group = await social.createGroup(name, true);
      openConversation(groupKey(group.groupId));
    } catch (e) {
      setError(describeError(e, { LIMIT_EXCEEDED: 'groups:create.limit' }));
    }
  }

  return (
    <>
      <InlineForm
        label={t('groups:create.label')}
        buttonLabel={t('groups:create.button')}
        emptyMessage="groups:create.empty"
        maxLength={64}
        errors={{ LIMIT_EXCEEDED: 'groups:create.limit' }}
        onSubmit={async (name) => {
          setError(null);
          try {
            const group = await social.createGroup(name);
            openConversation(groupKey(group.groupId));
            return msg('groups:create.done', { name: group.name });
          } catch (e) {
            if (!isSameName(e)) throw e;
            setAsking(name);
            return null;
          }
        }}
      />
      <ErrorAlert problem={error} />
      <ConfirmDialog
        open={asking !== null}
        title={t('groups:sameName.title')}
        confirmLabel={t('groups:sameName.confirm')}
        onConfirm={() => void createAnyway()}
        onCancel={() => setAsking(null)}
      >
        {t('groups:sameName.body', { name: asking ?? '' })}
      </ConfirmDialog>
    </>
  );
}
