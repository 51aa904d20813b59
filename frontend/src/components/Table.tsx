import { Children, type HTMLAttributes, type ReactNode, type ThHTMLAttributes, type TdHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

/** A column whose header sorts the rows: `direction` is set on the column sorted by. */
export interface SortSpec {
  /** The value of the button's `data-sort` attribute. */
  key: string;
  direction?: 'asc' | 'desc';
  onSort: () => void;
}

/** A column header: its text, or its text and how it sorts. */
export type Column = string | { label: string; sort?: SortSpec };

interface TableProps {
  /** id of the heading that names the table (for the scrollable region); or `label`. */
  labelledBy?: string;
  /** The region's name when no heading names it. */
  label?: string;
  /** id of an element that describes the region. */
  describedBy?: string;
  /** A caption read out by screen readers (visually hidden). */
  caption?: string;
  /** An extra class of the table element (for per-table styles). */
  className?: string;
  /** The column headers; an actions column with a hidden label follows when `actions` is set. */
  columns: Column[];
  actions?: boolean;
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
  /** The rows: `<Row>` elements. */
  children: ReactNode;
}

function SortHeader({ label, sort }: { label: string; sort: SortSpec }) {
  const { t } = useTranslation();
  const { direction } = sort;
  return (
    <th scope="col" className="kern-table__header" aria-sort={direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : undefined}>
      <button type="button" className="app-sort" onClick={sort.onSort} data-sort={sort.key}>
        {label}
        <span className={`kern-icon kern-icon--small kern-icon--${direction === 'asc' ? 'arrow-up' : 'arrow-down'}${direction ? '' : ' app-sort__idle'}`} aria-hidden="true" />
        <span className="app-sr-only">{t(direction === 'asc' ? 'common.sort.ascending' : direction === 'desc' ? 'common.sort.descending' : 'common.sort.by')}</span>
      </button>
    </th>
  );
}

/**
 * The one table of the app: a small KERN table in a keyboard-scrollable region (works at
 * 320 px), with column headers (scope col), an optional hidden caption, sortable columns,
 * a hidden-label actions column, and an empty state in place of a table without rows.
 */
export function Table({ labelledBy, label, describedBy, caption, className, columns, actions = false, empty, children }: TableProps) {
  const { t } = useTranslation();
  if (empty !== undefined && Children.count(children) === 0) return <>{empty}</>;
  return (
    <div className="kern-table-responsive app-table-wrap" tabIndex={0} role="region" aria-labelledby={labelledBy} aria-label={labelledBy ? undefined : label} aria-describedby={describedBy}>
      <table className={className ? `kern-table kern-table--small ${className}` : 'kern-table kern-table--small'}>
        {caption && <caption className="app-sr-only">{caption}</caption>}
        <thead className="kern-table__header">
          <tr className="kern-table__row">
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th key={c} scope="col" className="kern-table__header">
                  {c}
                </th>
              ) : c.sort ? (
                <SortHeader key={c.label} label={c.label} sort={c.sort} />
              ) : (
                <th key={c.label} scope="col" className="kern-table__header">
                  {c.label}
                </th>
              ),
            )}
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

/** A body row; other attributes (`data-*`) pass through. */
export function Row({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={className ? `kern-table__row ${className}` : 'kern-table__row'} {...props} />;
}

/** A data cell. */
export function Cell({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={className ? `kern-table__cell ${className}` : 'kern-table__cell'} {...props} />;
}

/** The cell that names its row (a row header). */
export function RowHeader({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="row" className={className ? `kern-table__cell ${className}` : 'kern-table__cell'} {...props} />;
}

/** The last cell of a row in a table with `actions`: its buttons, side by side, wrapping. */
export function ActionCell({ children }: { children?: ReactNode }) {
  return (
    <td className="kern-table__cell kern-table__cell--action">
      <span className="app-row-actions">{children}</span>
    </td>
  );
}
