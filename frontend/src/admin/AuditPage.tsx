import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call, type AuditEntry, type MemberView, type Schemas } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { SelectField, TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Pager } from '../components/Pager';
import { Cell, Row, Table } from '../components/Table';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { useCursorPages } from '../lib/useCursorPages';
import type { TenantInfo } from './AdminConsole';
import { auditFilterError, auditQuery, type AuditFilters } from './auditQuery';
import { actionGroups, actionLabel, auditHref, indexCatalog, typeLabel, type AuditCatalog, type AuditObject, type Catalogue } from './labels';

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
  const [catalog, setCatalog] = useState<AuditCatalog | null>(null);
  const pages = useCursorPages<number>();
  const load = useAction();
  const check = useAction();
  const loadCatalog = useAction();
  const path = { tenant: tenant.slug };
  const lng = i18n.language;
  const cat = useMemo(() => indexCatalog(catalog), [catalog]);
  const groups = useMemo(() => actionGroups(cat, lng), [cat, lng]);

  // The labels of every action, module and object type.
  useEffect(() => {
    void loadCatalog.run(() => call(api.GET('/api/v1/t/{tenant}/audit/actions', { params: { path: { tenant: tenant.slug } } }))).then((r) => r && setCatalog(r));
  }, [tenant.slug]); // eslint-disable-line react-hooks/exhaustive-deps

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
          {groups.map((g) => (
            <optgroup key={g.module} label={g.label}>
              <option value={g.all}>{t('admin.audit.allOf', { module: g.label })}</option>
              {g.actions.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </optgroup>
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
      <ErrorAlert error={load.error ?? loadCatalog.error} focus={false} />
      {(!entries || (!catalog && !loadCatalog.error)) && !load.error && <Loading />}
      {entries && entries.length === 0 && <Alert variant="info" title={t('admin.audit.none')} live="status" />}
      {entries && entries.length > 0 && (catalog || loadCatalog.error) && (
        <Table
          label={t('admin.audit.tableLabel')}
          caption={t('admin.audit.caption', { page: pages.page })}
          className="app-audit"
          columns={[t('admin.audit.when'), t('admin.audit.actor'), t('admin.audit.action'), t('admin.audit.target'), t('admin.audit.chain'), t('admin.audit.technical')]}
        >
          {entries.map((e) => (
            <Row key={e.id} data-action={e.action}>
              <Cell>
                <time dateTime={e.occurred_at}>{formatDateTime(e.occurred_at, lng)}</time>
              </Cell>
              <Cell>
                <Actor entry={e} slug={tenant.slug} />
              </Cell>
              <Cell>{actionLabel(cat, e.action, lng)}</Cell>
              <Cell>
                {e.object ? <ObjectRef o={e.object} cat={cat} slug={tenant.slug} /> : '—'}
                {(e.related ?? []).length > 0 && (
                  <ul className="app-audit__related">
                    {(e.related ?? []).map((r) => (
                      <li key={r.key}>
                        <ObjectRef o={r} cat={cat} slug={tenant.slug} />
                      </li>
                    ))}
                  </ul>
                )}
              </Cell>
              <Cell>{e.verified ? <Badge variant="success">{t('admin.audit.verified')}</Badge> : <Badge variant="danger">{t('admin.audit.notVerified')}</Badge>}</Cell>
              <Cell>
                <Technical entry={e} />
              </Cell>
            </Row>
          ))}
        </Table>
      )}
      <Pager page={pages.page} hasNext={nextCursor !== undefined} onPrev={pages.prev} onNext={() => pages.next(nextCursor)} label={t('admin.audit.pager')} />
    </>
  );
}

/** The acting person by their current name (the address they had then, below). */
function Actor({ entry, slug }: { entry: AuditEntry; slug: string }) {
  const { t } = useTranslation();
  const a = entry.actor;
  if (!a) return <>{entry.actor_label || t('admin.audit.system')}</>;
  const href = auditHref(slug, a);
  const email = a.email || entry.actor_label;
  return (
    <>
      {href ? (
        <Link className="kern-link" to={href}>
          {a.name || email}
        </Link>
      ) : (
        <span>{a.name || email}</span>
      )}
      {a.state === 'deleted' && <span className="app-muted-line">{t('admin.audit.noLongerMember')}</span>}
      {email && email !== a.name && <span className="app-muted-line app-break">{email}</span>}
    </>
  );
}

/** "Dokument: Bescheid" with a link to where the app shows it; deleted objects by their last name. */
function ObjectRef({ o, cat, slug }: { o: AuditObject; cat: Catalogue; slug: string }) {
  const { t, i18n } = useTranslation();
  const href = o.state === 'deleted' ? undefined : auditHref(slug, o);
  const name = o.name || (o.state === 'deleted' ? t('admin.audit.deleted') : '');
  return (
    <span className="app-audit__object">
      <span className="app-audit__type">{typeLabel(cat, o.type, i18n.language)}</span>
      {name && (href ? (
        <Link className="kern-link" to={href}>
          {name}
        </Link>
      ) : (
        <span>{name}</span>
      ))}
      {o.state === 'deleted' && o.name && <span className="app-audit__state"> ({t('admin.audit.deleted')})</span>}
      {o.state === 'trashed' && <span className="app-audit__state"> ({t('admin.audit.trashed')})</span>}
    </span>
  );
}

/** Ids, addresses, the raw details and the chain hash, folded away. */
function Technical({ entry: e }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const rows: [string, string][] = [
    [t('admin.audit.tech.seq'), String(e.seq)],
    [t('admin.audit.tech.action'), e.action],
    [t('admin.audit.tech.target'), [e.target_type, e.target_id].filter(Boolean).join(' ')],
    [t('admin.audit.tech.actor'), [e.actor_user_id, e.actor_label].filter(Boolean).join(' ')],
    [t('admin.audit.tech.ip'), e.client_ip],
    [t('admin.audit.tech.request'), e.request_id],
    ...Object.entries(e.details ?? {}).map(([k, v]): [string, string] => [k, v]),
    [t('admin.audit.tech.hash'), e.hash],
  ];
  return (
    <details className="app-audit__tech">
      <summary className="kern-link">{t('admin.audit.technicalSummary')}</summary>
      <dl className="app-details">
        {rows
          .filter(([, v]) => v !== '')
          .map(([k, v], i) => (
            <div key={`${i}-${k}`}>
              <dt>{k}</dt>
              <dd>
                <code>{v}</code>
              </dd>
            </div>
          ))}
      </dl>
    </details>
  );
}
