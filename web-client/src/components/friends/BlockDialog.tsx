import { useState } from 'react';
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
        title={`Block ${target?.displayName ?? ''}?`}
        confirmLabel="Block"
        danger
        onConfirm={() => void confirm()}
        onCancel={() => onDone(false)}
      >
        {target?.displayName} will no longer be able to message you, call you, send you friend requests or
        talk to you in the world, and you will no longer be friends. They are not told. You can unblock them
        in Profile and account.
      </ConfirmDialog>
    </>
  );
}
