import type { ReactNode } from 'react';

export function Badge({ variant, children }: { variant: 'info' | 'success' | 'warning' | 'danger'; children: ReactNode }) {
  return (
    <span className={`kern-badge kern-badge--${variant} kern-badge--small`}>
      <span className="kern-label">{children}</span>
    </span>
  );
}
