import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface TableProps {
  /** id of the heading that names the table (for the scrollable region). */
  labelledBy: string;
  /** Visible column headers; an actions column with a hidden label follows when `actions` is set. */
  columns: string[];
  actions?: boolean;
  /** The rows: `<tr className="kern-table__row">…</tr>` elements. */
  children: ReactNode;
}

/** A small KERN table in a keyboard-scrollable region (works at 320 px). */
export function Table({ labelledBy, columns, actions = false, children }: TableProps) {
  const { t } = useTranslation();
  return (
    <div className="kern-table-responsive app-table-wrap" tabIndex={0} role="region" aria-labelledby={labelledBy}>
      <table className="kern-table kern-table--small">
        <thead className="kern-table__header">
          <tr className="kern-table__row">
            {columns.map((c) => (
              <th key={c} scope="col" className="kern-table__header">
                {c}
              </th>
            ))}
            {actions && (
              <th scope="col" className="kern-table__header">
                <span className="app-sr-only">{t('common.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody className="kern-table__body">{children}</tbody>
      </table>
    </div>
  );
}
