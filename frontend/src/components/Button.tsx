import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react';

type Variant = 'primary' | 'secondary' | 'tertiary';

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: Variant;
  icon?: string;
  /** Marks the button busy (announced) while its action runs; it stays focusable. */
  busy?: boolean;
  small?: boolean;
  block?: boolean;
  children: ReactNode;
  ref?: Ref<HTMLButtonElement>;
};

/** A KERN button. Icons are decorative (the label names the action). */
export function Button({ variant = 'primary', icon, busy, small, block, className, children, type = 'button', ref, onClick, ...rest }: ButtonProps) {
  const classes = ['kern-btn', `kern-btn--${variant}`, small ? 'kern-btn--x-small' : '', block ? 'kern-btn--block' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <button
      ref={ref}
      type={type}
      className={classes}
      aria-busy={busy || undefined}
      onClick={(e) => {
        if (busy) {
          e.preventDefault();
          return;
        }
        onClick?.(e);
      }}
      {...rest}
    >
      {icon && <span className={`kern-icon kern-icon--${icon}`} aria-hidden="true" />}
      <span className="kern-label">{children}</span>
    </button>
  );
}
