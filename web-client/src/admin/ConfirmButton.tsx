import { type ReactNode, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog';

/** A small danger button that asks first (the app's native-dialog confirmation). */
export function ConfirmButton({
  label,
  confirm,
  onConfirm,
  title,
}: {
  label: string;
  confirm: ReactNode;
  onConfirm: () => void;
  title?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button--danger button--small" onClick={() => setOpen(true)}>
        {label}
      </button>
      <ConfirmDialog
        open={open}
        title={title ?? `${label}?`}
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
