import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
}

const FIELD = 'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled])';

/**
 * Moves focus into an opened dialog: to the field a child marked with autoFocus if it has
 * it, else to the first form field of the body, else to the heading; never to the close
 * button, which showModal() would pick and where a keystroke closes the dialog.
 */
function focusFirst(d: HTMLDialogElement) {
  const body = d.querySelector('.kern-dialog__body');
  const active = document.activeElement;
  if (body && active instanceof HTMLElement && body.contains(active) && active.matches(FIELD)) return;
  const target = body?.querySelector<HTMLElement>(FIELD) ?? d.querySelector<HTMLElement>('.kern-dialog__header h2');
  target?.focus();
}

/**
 * A modal dialog on the native <dialog> element: the browser traps focus and closes it
 * on Escape; focus returns to where it was when the dialog opened.
 */
export function Dialog({ open, title, onClose, children, footer }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const { t } = useTranslation();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
      focusFirst(d);
    } else if (!open && d.open) {
      if (typeof d.close === 'function') d.close();
      else d.removeAttribute('open');
    }
  }, [open]);

  useEffect(() => {
    if (!open && opener.current instanceof HTMLElement && opener.current.isConnected) {
      opener.current.focus();
      opener.current = null;
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="kern-dialog app-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <header className="kern-dialog__header">
            <h2 className="kern-title" id={titleId} tabIndex={-1}>
              {title}
            </h2>
            <button type="button" className="kern-btn kern-btn--tertiary" onClick={onClose} aria-label={t('common.close')}>
              <span className="kern-icon kern-icon--close" aria-hidden="true" />
              <span className="kern-label kern-sr-only">{t('common.close')}</span>
            </button>
          </header>
          <section className="kern-dialog__body">{children}</section>
          {footer && <footer className="kern-dialog__footer">{footer}</footer>}
        </>
      )}
    </dialog>
  );
}
