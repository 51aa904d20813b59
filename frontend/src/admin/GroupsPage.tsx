import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, call, type Schemas } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { TextAreaField, TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { ActionCell, Cell, Row, Table } from '../components/Table';
import { useAction } from '../lib/useAction';
import { useFieldErrors } from '../lib/useFieldErrors';
import { requiredError } from '../lib/validation';
import type { TenantInfo } from './AdminConsole';
import { DeleteGroupDialog } from './DeleteGroupDialog';
import { nameConflict, sortGroups } from './groups';

export type GroupView = Schemas['GroupView'];

/** The most groups a tenant may have (the server refuses more). */
export const MAX_GROUPS = 1000;

const FIELDS = ['name', 'description'] as const;
const fieldId = (f: (typeof FIELDS)[number]) => `group-new-${f}`;

/** The tenant's groups: who is in which, for granting folders to several people at once. */
export function GroupsPage({ tenant }: { tenant: TenantInfo }) {
  const { t, i18n } = useTranslation();
  const [groups, setGroups] = useState<GroupView[] | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const location = useLocation();
  const navigate = useNavigate();
  const [notice, setNotice] = useState<string>((location.state as { notice?: string } | null)?.notice ?? '');
  const [deleting, setDeleting] = useState<GroupView | null>(null);
  const load = useAction();
  const create = useAction();
  const fields = useFieldErrors(FIELDS, fieldId);
  const path = { tenant: tenant.slug };

  const reload = useCallback(async () => {
    const res = await load.run(() => call(api.GET('/api/v1/t/{tenant}/groups', { params: { path } })));
    if (res) setGroups(sortGroups(res.groups ?? [], i18n.language));
  }, [tenant.slug]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  // A notice handed over by the group's page (deleted) is shown once, not again after a reload.
  useEffect(() => {
    if ((location.state as { notice?: string } | null)?.notice) navigate(location.pathname, { replace: true, state: null });
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNotice('');
    if (fields.check({ name: requiredError(name) })) return;
    const g = await create.run(
      () => call(api.POST('/api/v1/t/{tenant}/groups', { params: { path }, body: { name: name.trim(), description: description.trim() || undefined } })),
      nameConflict(fields),
    );
    if (!g) return;
    fields.clear();
    setName('');
    setDescription('');
    setGroups((l) => sortGroups([...(l ?? []), g], i18n.language));
    setNotice(t('admin.groups.created', { name: g.name }));
  };

  const full = (groups?.length ?? 0) >= MAX_GROUPS;

  return (
    <>
      <PageHeading title={t('admin.groups.title')}>{t('admin.groups.title')}</PageHeading>
      <p className="kern-body">{t('admin.groups.lead')}</p>
      {notice && <Alert variant="success" title={notice} live="status" />}

      <section className="app-section" aria-labelledby="groups-new-title">
        <h2 id="groups-new-title" className="kern-heading-medium">
          {t('admin.groups.new')}
        </h2>
        <ErrorAlert error={create.error} />
        <form className="app-form" onSubmit={submit} noValidate>
          <TextField
            id={fieldId('name')}
            label={t('admin.groups.name')}
            hint={t('admin.groups.nameHint')}
            value={name}
            maxLength={200}
            required
            onChange={(e) => setName(e.target.value)}
            error={fields.errors.name}
          />
          <TextAreaField
            id={fieldId('description')}
            label={t('admin.groups.description')}
            optional
            rows={2}
            value={description}
            maxLength={2000}
            onChange={(e) => setDescription(e.target.value)}
            error={fields.errors.description}
          />
          <div className="app-actions">
            <Button type="submit" icon="add" busy={create.busy} disabled={full} aria-describedby={full ? 'groups-full' : undefined}>
              {t('admin.groups.create')}
            </Button>
            {full && (
              <p className="kern-hint" id="groups-full">
                {t('admin.groups.full', { max: MAX_GROUPS })}
              </p>
            )}
          </div>
        </form>
      </section>

      <section className="app-section" aria-labelledby="groups-list-title">
        <h2 id="groups-list-title" className="kern-heading-medium" tabIndex={-1}>
          {t('admin.groups.list')}
        </h2>
        <ErrorAlert error={load.error} focus={false} />
        {!groups && !load.error && <Loading />}
        {groups && (
          <Table
            empty={<Alert variant="info" title={t('admin.groups.none')} live="status" />}
            labelledBy="groups-list-title"
            caption={t('admin.groups.caption', { count: groups.length })}
            columns={[t('admin.groups.name'), t('admin.groups.description'), t('admin.groups.members')]}
            actions
          >
            {groups.map((g) => (
              <Row key={g.id} data-group={g.name}>
                <Cell>
                  <Link className="kern-link" to={`/t/${tenant.slug}/admin/groups/${g.id}`}>
                    {g.name}
                  </Link>
                </Cell>
                <Cell>{g.description}</Cell>
                <Cell>{t('admin.groups.memberCount', { count: g.member_count })}</Cell>
                <ActionCell>
                  <Link className="kern-btn kern-btn--secondary kern-btn--x-small" to={`/t/${tenant.slug}/admin/groups/${g.id}`}>
                    <span className="kern-label">
                      {t('admin.groups.manage')}
                      <span className="app-sr-only">: {g.name}</span>
                    </span>
                  </Link>
                  <Button variant="secondary" small onClick={() => setDeleting(g)}>
                    {t('admin.groups.delete')}
                    <span className="app-sr-only">: {g.name}</span>
                  </Button>
                </ActionCell>
              </Row>
            ))}
          </Table>
        )}
      </section>
      <DeleteGroupDialog
        tenant={tenant}
        group={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(g) => {
          setGroups((l) => (l ?? []).filter((x) => x.id !== g.id));
          setNotice(t('admin.groups.deleted', { name: g.name }));
          setTimeout(() => document.getElementById('groups-list-title')?.focus(), 60);
        }}
      />
    </>
  );
}
