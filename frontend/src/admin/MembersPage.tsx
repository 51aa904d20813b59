import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, call, query, ROLES, type MemberStatus, type MemberView, type Role } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { SelectField, TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Pager } from '../components/Pager';
import { ActionCell, Cell, Row, Table } from '../components/Table';
import { formatDate } from '../lib/format';
import { useAction } from '../lib/useAction';
import { useCursorPages } from '../lib/useCursorPages';
import type { TenantInfo } from './AdminConsole';
import { MemberDialog } from './MemberDialog';

const PAGE_SIZE = 20;

interface Filters {
  q: string;
  role: '' | Role;
  status: '' | MemberStatus;
}

export function MembersPage({ tenant }: { tenant: TenantInfo }) {
  const { t, i18n } = useTranslation();
  // ?q= searches from the start (the audit log links a person this way).
  const [params] = useSearchParams();
  const linked = params.get('q')?.trim().slice(0, 200) ?? '';
  const [draft, setDraft] = useState<Filters>({ q: linked, role: '', status: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [members, setMembers] = useState<MemberView[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [editing, setEditing] = useState<MemberView | null>(null);
  const pages = useCursorPages<string>();
  const load = useAction();

  const reload = useCallback(async () => {
    const res = await load.run(() =>
      call(
        api.GET('/api/v1/t/{tenant}/members', {
          params: { path: { tenant: tenant.slug }, query: query({ ...filters, cursor: pages.cursor, limit: PAGE_SIZE }) },
        }),
      ),
    );
    if (res) {
      setMembers(res.members ?? []);
      setNextCursor(res.next_cursor ?? undefined);
    }
  }, [tenant.slug, filters, pages.cursor]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  // Following another such link while the page is open searches anew.
  useEffect(() => {
    if (filters.q === linked) return;
    pages.reset();
    setDraft({ q: linked, role: '', status: '' });
    setFilters({ q: linked, role: '', status: '' });
  }, [linked]); // eslint-disable-line react-hooks/exhaustive-deps

  const apply = (e: FormEvent) => {
    e.preventDefault();
    pages.reset();
    setFilters({ ...draft, q: draft.q.trim() });
  };

  const updated = (m: MemberView) => {
    setMembers((list) => list?.map((x) => (x.id === m.id ? m : x)) ?? null);
    setEditing(m);
  };

  return (
    <>
      <PageHeading title={t('admin.members.title')}>{t('admin.members.title')}</PageHeading>
      <p className="kern-body">
        <Link className="kern-link" to={`/t/${tenant.slug}/admin/invitations`}>
          <span className="kern-icon kern-icon--add kern-icon--small" aria-hidden="true" /> {t('admin.members.inviteLink')}
        </Link>
      </p>
      <form className="app-filters" onSubmit={apply} role="search" aria-label={t('admin.members.filterLabel')}>
        <TextField id="members-q" type="search" label={t('admin.members.search')} value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} maxLength={200} />
        <SelectField id="members-role" label={t('admin.members.role')} value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Filters['role'] })}>
          <option value="">{t('common.all')}</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id="members-status" label={t('admin.members.status')} value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value as Filters['status'] })}>
          <option value="">{t('common.all')}</option>
          <option value="active">{t('status.active')}</option>
          <option value="deactivated">{t('status.deactivated')}</option>
        </SelectField>
        <div className="app-actions">
          <Button type="submit" variant="secondary" icon="search">
            {t('common.filter')}
          </Button>
        </div>
      </form>
      <ErrorAlert error={load.error} focus={false} />
      {!members && !load.error && <Loading />}
      {members && (
        <Table
          empty={<Alert variant="info" title={t('admin.members.none')} live="status" />}
          label={t('admin.members.tableLabel')}
          caption={t('admin.members.caption', { page: pages.page })}
          columns={[t('admin.members.person'), t('admin.members.role'), t('admin.members.status'), t('admin.members.twoFactor'), t('admin.members.since')]}
          actions
        >
          {members.map((m) => (
            <Row key={m.id} data-email={m.email}>
              <Cell>
                <span className="app-person">
                  <strong>{m.display_name || m.email}</strong>
                  <span className="kern-body--small">{m.email}</span>
                </span>
              </Cell>
              <Cell>{t(`roles.${m.role}`)}</Cell>
              <Cell>
                <Badge variant={m.status === 'active' ? 'success' : 'warning'}>{t(`status.${m.status}`)}</Badge>
              </Cell>
              <Cell>{m.totp_enabled ? t('admin.members.totpOn') : t('admin.members.totpOff')}</Cell>
              <Cell>{formatDate(m.created_at, i18n.language)}</Cell>
              <ActionCell>
                <Button variant="secondary" small icon="edit" onClick={() => setEditing(m)}>
                  {t('admin.members.edit')}
                  <span className="app-sr-only">: {m.display_name || m.email}</span>
                </Button>
              </ActionCell>
            </Row>
          ))}
        </Table>
      )}
      <Pager page={pages.page} hasNext={nextCursor !== undefined} onPrev={pages.prev} onNext={() => pages.next(nextCursor)} label={t('admin.members.pager')} />
      <MemberDialog tenant={tenant} member={editing} onClose={() => setEditing(null)} onUpdated={updated} onReset={() => void reload()} />
    </>
  );
}
