import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import { Badge } from '../components/Badge';
import { SelectField } from '../components/Field';
import { Cell, Row, RowHeader, Table } from '../components/Table';
import { organisationHref, type ImportReport, type ImportRow } from './model';

/** Rows shown at once; the counts above cover every row. */
export const SHOWN_ROWS = 200;
/** Existing entries whose names are looked up for "Duplikat von …" (bounded). */
const NAMED = 50;

interface Target {
  name: string;
  organisationId: string;
}

/** Looks up the names of the existing organisations and contacts that rows duplicate. */
function useTargets(slug: string, rows: ImportRow[]): Record<string, Target> {
  const [targets, setTargets] = useState<Record<string, Target>>({});
  useEffect(() => {
    let live = true;
    const wanted = new Map<string, 'organisation' | 'contact'>();
    for (const r of rows) {
      if (r.status === 'duplicate' && r.duplicate_of && !wanted.has(r.duplicate_of) && wanted.size < NAMED) wanted.set(r.duplicate_of, r.duplicate_kind === 'contact' ? 'contact' : 'organisation');
    }
    void (async () => {
      const found: Record<string, Target> = {};
      for (const [id, kind] of wanted) {
        const path = { tenant: slug, id };
        if (kind === 'contact') {
          const { data } = await api.GET('/api/v1/t/{tenant}/contacts/{id}', { params: { path } });
          if (data) found[id] = { name: `${data.display_name} (${data.organisation_name})`, organisationId: data.organisation_id };
        } else {
          const { data } = await api.GET('/api/v1/t/{tenant}/organisations/{id}', { params: { path } });
          if (data) found[id] = { name: data.name, organisationId: data.id };
        }
      }
      if (live) setTargets(found);
    })();
    return () => {
      live = false;
    };
  }, [slug, rows]);
  return targets;
}

type Shown = '' | ImportRow['status'];

/** The per-row outcome of an import (preview or applied), filterable by result. */
export function ImportRows({ slug, report }: { slug: string; report: ImportReport }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<Shown>('');
  const targets = useTargets(slug, report.rows);
  const rows = report.rows.filter((r) => !status || r.status === status);
  const shown = rows.slice(0, SHOWN_ROWS);

  const result = (r: ImportRow) => {
    if (r.status === 'created') {
      const text = report.applied ? t('addressbook.import.status.created') : t('addressbook.import.status.new');
      return <Badge variant="success">{text}</Badge>;
    }
    if (r.status === 'invalid') {
      return (
        <>
          <Badge variant="danger">{t('addressbook.import.status.invalid')}</Badge>{' '}
          <span>{t('addressbook.import.invalidDetail', { field: r.field || '–', reason: r.reason || '' })}</span>
        </>
      );
    }
    const target = r.duplicate_of ? targets[r.duplicate_of] : undefined;
    const what = r.duplicate_kind === 'contact' ? t('addressbook.import.dupContact') : t('addressbook.import.dupOrganisation');
    return (
      <>
        <Badge variant="warning">{t('addressbook.import.status.duplicate')}</Badge>{' '}
        {!r.duplicate_of ? (
          <span>{t('addressbook.import.dupEarlier')}</span>
        ) : (
          <span>
            {t('addressbook.import.dupOf', { what })}{' '}
            {target ? (
              <Link className="kern-link" to={organisationHref(slug, target.organisationId)}>
                {target.name}
              </Link>
            ) : r.duplicate_kind !== 'contact' ? (
              <Link className="kern-link" to={organisationHref(slug, r.duplicate_of)}>
                {t('addressbook.import.dupOpen')}
              </Link>
            ) : null}
          </span>
        )}
      </>
    );
  };

  return (
    <>
      <div className="app-filters">
        <SelectField id="import-show" label={t('addressbook.import.show')} value={status} onChange={(e) => setStatus(e.target.value as Shown)}>
          <option value="">{t('common.all')}</option>
          <option value="created">{report.applied ? t('addressbook.import.status.created') : t('addressbook.import.status.new')}</option>
          <option value="duplicate">{t('addressbook.import.status.duplicate')}</option>
          <option value="invalid">{t('addressbook.import.status.invalid')}</option>
        </SelectField>
      </div>
      <Table
        label={t('addressbook.import.tableLabel')}
        caption={t('addressbook.import.tableLabel')}
        empty={<p className="kern-body">{t('addressbook.import.noRows')}</p>}
        columns={[t('addressbook.import.row'), t('addressbook.import.result')]}
      >
        {shown.map((r) => (
          <Row key={r.row} data-row={r.row} data-status={r.status}>
            <RowHeader>{r.row}</RowHeader>
            <Cell>{result(r)}</Cell>
          </Row>
        ))}
      </Table>
      {rows.length > SHOWN_ROWS && <p className="kern-hint">{t('addressbook.import.moreRows', { shown: SHOWN_ROWS, count: rows.length })}</p>}
    </>
  );
}
