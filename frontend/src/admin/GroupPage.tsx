import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, call, query, type MemberView } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { TextAreaField, TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Pager } from '../components/Pager';
import { ActionCell, Cell, Row, Table } from '../components/Table';
import { directoryFor } from '../documents/directory';
import { PrincipalPicker, type PickedPrincipal } from '../documents/PrincipalPicker';
import { useAction } from '../lib/useAction';
import { useCursorPages } from '../lib/useCursorPages';
import { useFieldErrors } from '../lib/useFieldErrors';
import { requiredError } from '../lib/validation';
import { nameConflict } from './groups';
import type { TenantInfo } from './AdminConsole';
import { DeleteGroupDialog } from './DeleteGroupDialog';
import type { GroupView } from './GroupsPage';

const PAGE_SIZE = 20;
const FIELDS = ['name', 'description'] as const;
const fieldId = (f: (typeof FIELDS)[number]) => `group-edit-${f}`;

/** One group: its name and description, its members (added with the people picker), deletion. */
export function GroupPage({ tenant }: { tenant: TenantInfo }) {
  const { t } = useTranslation();
  const { groupId = '' } = useParams();
  const navigate = useNavigate();
  const [group, setGroup] = useState<GroupView | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [members, setMembers] = useState<MemberView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [draftQ, setDraftQ] = useState('');
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<PickedPrincipal | null>(null);
  const [pickError, setPickError] = useState('');
  const [pickerKey, setPickerKey] = useState(0);
  const [notice, setNotice] = useState('');
  const [deleting, setDeleting] = useState(false);
  const pages = useCursorPages<string>();
  const load = useAction();
  const list = useAction();
  const save = useAction();
  const change = useAction();
  const fields = useFieldErrors(FIELDS, fieldId);
  const path = { tenant: tenant.slug, id: groupId };
  const directory = directoryFor(tenant.slug, true);

  useEffect(() => {
    void load.run(async () => {
      const g = await call(api.GET('/api/v1/t/{tenant}/groups/{id}', { params: { path } }));
      setGroup(g);
      setName(g.name);
      setDescription(g.description);
    });
  }, [tenant.slug, groupId]); // eslint-disable-line react-hooks/exhaustive-deps

  const reloadMembers = useCallback(async () => {
    const res = await list.run(() =>
      call(api.GET('/api/v1/t/{tenant}/groups/{id}/members', { params: { path, query: query({ q, cursor: pages.cursor, limit: PAGE_SIZE }) } })),
    );
    if (res) {
      setMembers(res.members ?? []);
      setTotal(res.total);
      setNextCursor(res.next_cursor ?? undefined);
    }
  }, [tenant.slug, groupId, q, pages.cursor]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reloadMembers();
  }, [reloadMembers]);

  if (load.error && !group) {
    return (
      <>
        <p className="kern-body">
          <Link className="kern-link" to={`/t/${tenant.slug}/admin/groups`}>
            {t('admin.groups.back')}
          </Link>
        </p>
        <PageHeading title={t('admin.groups.unavailable')}>{t('admin.groups.unavailable')}</PageHeading>
        <ErrorAlert error={load.error} />
      </>
    );
  }
  if (!group) return <Loading />;

  const rename = async (e: FormEvent) => {
    e.preventDefault();
    setNotice('');
    if (fields.check({ name: requiredError(name) })) return;
    const g = await save.run(
      () => call(api.PATCH('/api/v1/t/{tenant}/groups/{id}', { params: { path }, body: { name: name.trim(), description: description.trim() } })),
      nameConflict(fields),
    );
    if (!g) return;
    setGroup({ ...group, ...g });
    setName(g.name);
    setDescription(g.description);
    setNotice(t('admin.groups.saved', { name: g.name }));
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setNotice('');
    if (!picked) {
      setPickError(t('admin.groups.pickRequired'));
      document.getElementById('group-add-person')?.focus();
      return;
    }
    const who = picked;
    const ok = await change.run(async () => {
      await call(api.PUT('/api/v1/t/{tenant}/groups/{id}/members/{membership}', { params: { path: { ...path, membership: who.id } } }));
      return true;
    });
    if (!ok) return;
    setPicked(null);
    setPickerKey((k) => k + 1);
    setNotice(t('admin.groups.added', { name: who.name, group: group.name }));
    setGroup((g) => (g ? { ...g, member_count: g.member_count + 1 } : g));
    await reloadMembers();
  };

  const remove = async (m: MemberView) => {
    setNotice('');
    const ok = await change.run(async () => {
      await call(api.DELETE('/api/v1/t/{tenant}/groups/{id}/members/{membership}', { params: { path: { ...path, membership: m.id } } }));
      return true;
    });
    if (!ok) return;
    setNotice(t('admin.groups.removed', { name: m.display_name || m.email, group: group.name }));
    setGroup((g) => (g ? { ...g, member_count: Math.max(0, g.member_count - 1) } : g));
    await reloadMembers();
    setTimeout(() => document.getElementById('group-members-title')?.focus(), 0);
  };

  const search = (e: FormEvent) => {
    e.preventDefault();
    pages.reset();
    setQ(draftQ.trim());
  };

  return (
    <>
      <p className="kern-body">
        <Link className="kern-link" to={`/t/${tenant.slug}/admin/groups`}>
          <span className="kern-icon kern-icon--arrow-back kern-icon--small" aria-hidden="true" /> {t('admin.groups.back')}
        </Link>
      </p>
      <PageHeading title={t('admin.groups.pageTitle', { name: group.name })} sub={t('admin.groups.memberCount', { count: group.member_count })}>
        {group.name}
      </PageHeading>
      {notice && <Alert variant="success" title={notice} live="status" />}
      <ErrorAlert error={change.error} />

      <section className="app-section" aria-labelledby="group-members-title">
        <h2 id="group-members-title" className="kern-heading-medium" tabIndex={-1}>
          {t('admin.groups.membersTitle')}
        </h2>
        <form className="app-form" onSubmit={add} noValidate aria-labelledby="group-add-title">
          <h3 id="group-add-title" className="kern-heading-small">
            {t('admin.groups.addTitle')}
          </h3>
          <PrincipalPicker
            key={pickerKey}
            id="group-add-person"
            kind="user"
            directory={directory}
            label={t('admin.groups.pickPerson')}
            error={pickError}
            onChange={(p) => {
              setPicked(p);
              if (p) setPickError('');
            }}
          />
          <div className="app-actions">
            <Button type="submit" icon="add" busy={change.busy}>
              {t('admin.groups.add')}
            </Button>
          </div>
        </form>

        {(total > PAGE_SIZE || q) && (
          <form className="app-filters" onSubmit={search} role="search" aria-label={t('admin.groups.searchLabel')}>
            <TextField id="group-members-q" type="search" label={t('admin.groups.search')} value={draftQ} maxLength={200} onChange={(e) => setDraftQ(e.target.value)} />
            <div className="app-actions">
              <Button type="submit" variant="secondary" icon="search">
                {t('common.filter')}
              </Button>
            </div>
          </form>
        )}
        <ErrorAlert error={list.error} focus={false} />
        {!members && !list.error && <Loading />}
        {members && (
          <Table
            empty={<Alert variant="info" title={q ? t('admin.groups.noMatch') : t('admin.groups.noMembers')} live="status" />}
            labelledBy="group-members-title"
            caption={t('admin.groups.membersCaption', { name: group.name, page: pages.page })}
            columns={[t('admin.members.person'), t('admin.members.role')]}
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
                <ActionCell>
                  <Button variant="secondary" small onClick={() => void remove(m)} busy={change.busy}>
                    {t('admin.groups.remove')}
                    <span className="app-sr-only">: {m.display_name || m.email}</span>
                  </Button>
                </ActionCell>
              </Row>
            ))}
          </Table>
        )}
        <Pager page={pages.page} hasNext={nextCursor !== undefined} onPrev={pages.prev} onNext={() => pages.next(nextCursor)} label={t('admin.groups.pager')} />
      </section>

      <section className="app-section" aria-labelledby="group-edit-title">
        <h2 id="group-edit-title" className="kern-heading-medium">
          {t('admin.groups.editTitle')}
        </h2>
        <ErrorAlert error={save.error} />
        <form className="app-form" onSubmit={rename} noValidate>
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
            <Button type="submit" busy={save.busy}>
              {t('common.save')}
            </Button>
          </div>
        </form>
      </section>

      <section className="app-section" aria-labelledby="group-delete-title">
        <h2 id="group-delete-title" className="kern-heading-medium">
          {t('admin.groups.deleteSection')}
        </h2>
        <p className="kern-body">{t('admin.groups.deleteLead')}</p>
        <Button variant="secondary" icon="delete" onClick={() => setDeleting(true)}>
          {t('admin.groups.delete')}
        </Button>
      </section>
      <DeleteGroupDialog
        tenant={tenant}
        group={deleting ? group : null}
        onClose={() => setDeleting(false)}
        onDeleted={(g) => navigate(`/t/${tenant.slug}/admin/groups`, { replace: true, state: { notice: t('admin.groups.deleted', { name: g.name }) } })}
      />
    </>
  );
}
