import { type ReactNode, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useT } from '../i18n/useT';

/** A small danger button that asks first (the app's native-dialog confirmation). */
export function ConfirmButton({
  label,
  confirm,
  onConfirm,
}: {
  label: string;
  confirm: ReactNode;
  onConfirm: () => void;
}) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button--danger button--small" onClick={() => setOpen(true)}>
        {label}
      </button>
      <ConfirmDialog
        open={open}
        title={t('admin:confirm.title', { action: label })}
        confirmLabel={label}
        danger
        onConfirm={() => {
          setOpen(false);
          onConfirm();
        }}
        onCancel={() => setOpen(false)}
      >
        {confirm}
      </ConfirmDialog>
    </>
  );
}
