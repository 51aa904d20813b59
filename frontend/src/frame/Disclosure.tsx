import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

interface DisclosureProps {
  /** The button's content (its accessible name). */
  label: ReactNode;
  className?: string;
  align?: 'start' | 'end';
  children: (close: () => void) => ReactNode;
}

/**
 * A button that shows and hides a panel of links (the disclosure pattern: Tab moves
 * through the links, Escape closes and returns focus to the button, a click elsewhere closes).
 */
export function Disclosure({ label, className, align = 'end', children }: DisclosureProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent | FocusEvent) => {
      if (root.current && e.target instanceof Node && !root.current.contains(e.target)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDoc);
    document.addEventListener('focusin', onDoc);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDoc);
      document.removeEventListener('focusin', onDoc);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const close = () => setOpen(false);
  return (
    <div className={`app-disclosure${className ? ` ${className}` : ''}`} ref={root}>
      <button
        ref={button}
        type="button"
        className="kern-btn kern-btn--tertiary app-disclosure__button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {label}
        <span className={`kern-icon kern-icon--${open ? 'arrow-up' : 'arrow-down'} kern-icon--small`} aria-hidden="true" />
      </button>
      <div id={id} className={`app-disclosure__panel app-disclosure__panel--${align}`} hidden={!open}>
        {open && children(close)}
      </div>
    </div>
  );
}
