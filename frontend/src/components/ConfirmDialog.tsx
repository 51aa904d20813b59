import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../lib/useAction';
import { ErrorAlert } from './Alert';
import { Button } from './Button';
import { Dialog } from './Dialog';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}

/** Asks before an action that cannot be undone; shows the action's error in place. */
export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const { t } = useTranslation();
  const { busy, error, setError, run } = useAction();
  const close = () => {
    setError(null);
    onClose();
  };
  const confirm = async () => {
    const ok = await run(async () => {
      await onConfirm();
      return true;
    });
    if (ok) close();
  };
  return (
    <Dialog
      open={open}
      title={title}
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button onClick={confirm} busy={busy}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <ErrorAlert error={error} />
      {children}
    </Dialog>
  );
}
