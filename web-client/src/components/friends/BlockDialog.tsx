import { useState } from 'react';
import { useT } from '../../i18n/useT';
import { describeError, type Problem } from '../../lib/errors';
import { useBlockStore } from '../../state/AppState';
import { ConfirmDialog } from '../ConfirmDialog';
import { ErrorAlert } from '../ErrorAlert';

export interface BlockTarget {
  userId: number;
  displayName: string;
}

/**
 * R-BLK-9: asks before blocking. The text says what blocking does, and that the other person is
 * not told (they see a removed friend and unanswered messages, as with anyone who is offline).
 */
export function BlockDialog({
  target,
  onDone,
}: {
  target: BlockTarget | null;
  onDone: (blocked: boolean) => void;
}) {
  const { t } = useT();
  const blocks = useBlockStore();
  const [error, setError] = useState<Problem | null>(null);

  async function confirm() {
    if (!target) return;
    try {
      await blocks.block(target.userId);
      setError(null);
      onDone(true);
    } catch (e) {
      setError(describeError(e));
      onDone(false);
    }
  }

  return (
    <>
      <ErrorAlert problem={error} />
      <ConfirmDialog
        open={target !== null}
        title={t('friends:block.title', { name: target?.displayName ?? '' })}
        confirmLabel={t('friends:block.confirm')}
        danger
        onConfirm={() => void confirm()}
        onCancel={() => onDone(false)}
      >
        {t('friends:block.body', { name: target?.displayName ?? '' })}
      </ConfirmDialog>
    </>
  );
}
