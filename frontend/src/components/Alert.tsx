import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../lib/errors';

type Variant = 'info' | 'success' | 'warning' | 'danger';

interface AlertProps {
  variant: Variant;
  title: ReactNode;
  children?: ReactNode;
  /** alert: interrupts (errors); status: polite (confirmations); none: static text. */
  live?: 'alert' | 'status' | 'none';
  /** Moves keyboard focus to the alert when it appears (after a failed submit). */
  focus?: boolean;
  className?: string;
}

const icons: Record<Variant, string> = { info: 'info', success: 'success', warning: 'warning', danger: 'danger' };

export function Alert({ variant, title, children, live = 'none', focus, className }: AlertProps) {
  const ref = useRef<HTMLDivElement>(null);
  // Focus once, when the alert appears; never again while the person types elsewhere.
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <div
      ref={ref}
      className={`kern-alert kern-alert--${variant} app-alert${className ? ` ${className}` : ''}`}
      role={live === 'none' ? undefined : live}
      tabIndex={focus ? -1 : undefined}
    >
      <div className="kern-alert__header">
        <span className={`kern-icon kern-icon--${icons[variant]}`} aria-hidden="true" />
        <span className="kern-title">{title}</span>
      </div>
      {children && <div className="kern-alert__body">{children}</div>}
    </div>
  );
}

let errorSerial = 0;

/** The problem of a failed call, announced and focused (each new error anew). */
export function ErrorAlert({ error, focus = true }: { error: unknown; focus?: boolean }) {
  const { t } = useTranslation();
  const serial = useMemo(() => ++errorSerial, [error]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!error) return null;
  const { title, detail } = errorText(error, t);
  return (
    <Alert key={serial} variant="danger" title={title} live="alert" focus={focus}>
      {detail && <p className="kern-body">{detail}</p>}
    </Alert>
  );
}
