import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type AuditEntry, type MemberView, type Schemas } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { SelectField, TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Pager } from '../components/Pager';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { useCursorPages } from '../lib/useCursorPages';
import type { TenantInfo } from './AdminConsole';
import { auditFilterError, auditQuery, type AuditFilters } from './auditQuery';
import { actionLabel, AUDIT_ACTIONS } from './labels';

const EMPTY: AuditFilters = { actor: '', action: '', from: '', to: '' };

export function AuditPage({ tenant }: { tenant: TenantInfo }) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<AuditFilters>(EMPTY);
  const [filters, setFilters] = useState<AuditFilters>(EMPTY);
  const [rangeError, setRangeError] = useState<string>();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [nextCursor, setNextCursor] = useState<number | undefined>();
  const [actors, setActors] = useState<MemberView[]>([]);
  const [verify, setVerify] = useState<Schemas['AuditVerifyOutBody'] | null>(null);
  const pages = useCursorPages<number>();
  const load = useAction();
  const check = useAction();
  const path = { tenant: tenant.slug };

  // The actor filter takes a user id: offer the tenant's members by name.
  useEffect(() => {
    call(api.GET('/api/v1/t/{tenant}/members', { params: { path: { tenant: tenant.slug }, query: { limit: 200 } } }))
      .then((r) => setActors(r.members ?? []))
      .catch(() => setActors([]));
  }, [tenant.slug]);

  const reload = useCallback(async () => {
    const res = await load.run(() => call(api.GET('/api/v1/t/{tenant}/audit', { params: { path: { tenant: tenant.slug }, query: auditQuery(filters, pages.cursor) } })));
    if (res) {
      setEntries(res.entries ?? []);
      setNextCursor(res.next_cursor ?? undefined);
    }
  }, [tenant.slug, filters, pages.cursor]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (auditFilterError(draft)) {
      setRangeError(t('admin.audit.rangeError'));
      setTimeout(() => document.getElementById('audit-to')?.focus(), 0);
      return;
    }
    setRangeError(undefined);
    pages.reset();
    setFilters({ ...draft });
  };

  const runVerify = async () => {
    const res = await check.run(() => call(api.GET('/api/v1/t/{tenant}/audit/verify', { params: { path } })));
    if (res) setVerify(res);
  };

  return (
    <>
      <PageHeading title={t('admin.audit.title')}>{t('admin.audit.title')}</PageHeading>
      <p className="kern-body">{t('admin.audit.lead')}</p>
      <div className="app-section app-verify">
        <Button variant="secondary" icon="check" onClick={runVerify} busy={check.busy}>
          {t('admin.audit.verify')}
        </Button>
        <ErrorAlert error={check.error} />
        {verify &&
          (verify.ok ? (
            <Alert variant="success" title={t('admin.audit.chainOk')} live="status">
              <p className="kern-body">{t('admin.audit.chainOkText', { count: verify.checked })}</p>
            </Alert>
          ) : (
            <Alert variant="danger" title={t('admin.audit.chainBroken')} live="alert">
              <p className="kern-body">{t('admin.audit.chainBrokenText', { seq: verify.broken?.seq, reason: verify.broken?.reason ?? '' })}</p>
            </Alert>
          ))}
      </div>
      <form className="app-filters" onSubmit={apply} role="search" aria-label={t('admin.audit.filterLabel')}>
        <SelectField id="audit-actor" label={t('admin.audit.actor')} value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })}>
          <option value="">{t('common.all')}</option>
          {actors.map((m) => (
            <option key={m.user_id} value={m.user_id}>
              {m.display_name ? `${m.display_name} (${m.email})` : m.email}
            </option>
          ))}
        </SelectField>
        <SelectField id="audit-action" label={t('admin.audit.action')} value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
          <option value="">{t('common.all')}</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a.endsWith('.') ? t(`admin.audit.group.${a.slice(0, -1)}`) : `– ${actionLabel(a, t)}`}
            </option>
          ))}
        </SelectField>
        <TextField id="audit-from" type="date" label={t('admin.audit.from')} value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        <TextField id="audit-to" type="date" label={t('admin.audit.to')} value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} error={rangeError} />
        <div className="app-actions">
          <Button type="submit" variant="secondary" icon="search">
            {t('common.filter')}
          </Button>
        </div>
      </form>
      <ErrorAlert error={load.error} focus={false} />
      {!entries && !load.error && <Loading />}
      {entries && entries.length === 0 && <Alert variant="info" title={t('admin.audit.none')} live="status" />}
      {entries && entries.length > 0 && (
        <div className="kern-table-responsive app-table-wrap" tabIndex={0} role="region" aria-label={t('admin.audit.tableLabel')}>
          <table className="kern-table kern-table--small app-audit">
            <caption className="kern-sr-only">{t('admin.audit.caption', { page: pages.page })}</caption>
            <thead className="kern-table__header">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{t('admin.audit.when')}</th>
                <th scope="col" className="kern-table__header">{t('admin.audit.actor')}</th>
                <th scope="col" className="kern-table__header">{t('admin.audit.action')}</th>
                <th scope="col" className="kern-table__header">{t('admin.audit.target')}</th>
                <th scope="col" className="kern-table__header">{t('admin.audit.details')}</th>
                <th scope="col" className="kern-table__header">{t('admin.audit.chain')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {entries.map((e) => (
                <tr key={e.id} className="kern-table__row" data-action={e.action}>
                  <td className="kern-table__cell">
                    {formatDateTime(e.occurred_at, i18n.language)}
                    <span className="app-muted-line">#{e.seq}</span>
                  </td>
                  <td className="kern-table__cell">
                    {e.actor_label || t('admin.audit.system')}
                    {e.client_ip && <span className="app-muted-line">{e.client_ip}</span>}
                  </td>
                  <td className="kern-table__cell">
                    {actionLabel(e.action, t)}
                    <code className="app-muted-line">{e.action}</code>
                  </td>
                  <td className="kern-table__cell">
                    {t(`admin.audit.targetType.${e.target_type}`, { defaultValue: e.target_type })}
                    <code className="app-muted-line app-break">{e.target_id}</code>
                  </td>
                  <td className="kern-table__cell">
                    {Object.keys(e.details ?? {}).length > 0 ? (
                      <dl className="app-details">
                        {Object.entries(e.details ?? {}).map(([k, v]) => (
                          <div key={k}>
                            <dt>{k}</dt>
                            <dd>{v}</dd>
                          </div>
                        ))}
                      </dl>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="kern-table__cell">
                    {e.verified ? <Badge variant="success">{t('admin.audit.verified')}</Badge> : <Badge variant="danger">{t('admin.audit.notVerified')}</Badge>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={pages.page} hasNext={nextCursor !== undefined} onPrev={pages.prev} onNext={() => pages.next(nextCursor)} label={t('admin.audit.pager')} />
    </>
  );
}
