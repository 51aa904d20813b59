import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { isApiError } from '../api/problem';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { useDocs } from '../documents/context';
import { etag } from '../documents/model';
import { folderHref, useMemberName } from '../documents/parts';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { ConsultationsSection } from '../consultations/ConsultationsSection';
import { ActivitySection } from './ActivitySection';
import { MembersSection } from './MembersSection';
import { consultationPermit, periodText, permits, updateBody, workspacesBase, type Workspace, type WorkspaceMember } from './model';
import { Crumbs, PermitButton, Reasons } from './parts';
import { WorkspaceDialog } from './WorkspaceDialog';

type Pending = 'edit' | 'archive' | 'restore' | 'leave' | null;

const isStale = (err: unknown) => isApiError(err) && (err.status === 412 || err.code === 'precondition-failed');

/**
 * One workspace: its details (changed with If-Match; a 412 reloads and says so), its
 * folder in the documents module, its members, joining and leaving, archive and restore.
 * An archived workspace shows a read-only banner.
 */
export function WorkspacePage({ workspaceId }: { workspaceId: string }) {
  const { t, i18n } = useTranslation();
  const { slug, membershipId, role } = useDocs();
  const directoryName = useMemberName();
  const navigate = useNavigate();
  const location = useLocation();
  const lng = i18n.language;
  const [ws, setWs] = useState<Workspace | null>(null);
  const [members, setMembers] = useState<WorkspaceMember[] | null>(null);
  const [membersError, setMembersError] = useState<unknown>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState<string>((location.state as { notice?: string } | null)?.notice ?? '');
  const [stale, setStale] = useState(false);
  const load = useAction();
  const join = useAction();
  const path = { tenant: slug, id: workspaceId };

  const reload = useCallback(async () => {
    const w = await load.run(() => call(api.GET('/api/v1/t/{tenant}/workspaces/{id}', { params: { path } })));
    if (!w) return;
    setWs(w);
    try {
      // The list carries names and guest marks (WorkspaceMemberView of issue 12).
      setMembers((await call(api.GET('/api/v1/t/{tenant}/workspaces/{id}/members', { params: { path } }))).members as WorkspaceMember[]);
      setMembersError(null);
    } catch (e) {
      setMembersError(e);
    }
  }, [slug, workspaceId]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  // A change made elsewhere meanwhile: nothing was overwritten; the page shows the current state.
  const staleAgain = async () => {
    setPending(null);
    setNotice('');
    setStale(true);
    await reload();
    setTimeout(() => document.getElementById('ws-stale')?.focus(), 0);
  };

  if (load.error && !ws) {
    return (
      <>
        <Crumbs current={t('workspaces.unavailable')} />
        <PageHeading title={t('workspaces.unavailable')}>{t('workspaces.unavailable')}</PageHeading>
        <ErrorAlert error={load.error} />
      </>
    );
  }
  if (!ws) return <Loading />;

  // Names from the member list (guests may not use the directory), else the directory.
  const memberName = (id: string | undefined) => members?.find((m) => m.membership_id === id)?.display_name || directoryName(id);
  const name = (id: string | undefined) => (id && id === membershipId ? t('docs.you') : memberName(id));

  const may = permits(ws, { membershipId, role });
  const archived = ws.state === 'archived';
  const done = (text: string) => {
    setStale(false);
    setNotice(text);
  };

  const changeState = async (to: 'archive' | 'restore') => {
    try {
      const w =
        to === 'archive'
          ? await call(api.POST('/api/v1/t/{tenant}/workspaces/{id}/archive', { params: { path, header: { 'If-Match': etag(ws.version) } } }))
          : await call(api.POST('/api/v1/t/{tenant}/workspaces/{id}/restore', { params: { path, header: { 'If-Match': etag(ws.version) } } }));
      setWs(w);
      done(t(to === 'archive' ? 'workspaces.archive.done' : 'workspaces.restore.done', { name: w.name }));
    } catch (e) {
      if (isStale(e)) return staleAgain();
      throw e;
    }
  };

  const doJoin = async () => {
    const w = await join.run(() => call(api.POST('/api/v1/t/{tenant}/workspaces/{id}/join', { params: { path } })));
    if (!w) return;
    done(t('workspaces.join.done', { name: w.name }));
    await reload();
  };

  return (
    <>
      <Crumbs current={ws.name} />
      <PageHeading title={ws.name} sub={ws.purpose || undefined}>
        {ws.name}
      </PageHeading>
      {archived && (
        <Alert variant="warning" title={t('workspaces.archive.bannerTitle')} className="app-ws-banner">
          <p className="kern-body" data-testid="ws-archived-banner">
            {t('workspaces.archive.bannerText', { when: formatDateTime(ws.archived_at, lng), who: name(ws.archived_by) })}
          </p>
        </Alert>
      )}
      {stale && (
        <div id="ws-stale" tabIndex={-1} className="app-focus-target">
          <Alert variant="warning" title={t('workspaces.stale.title')} live="alert">
            <p className="kern-body">{t('workspaces.stale.text')}</p>
          </Alert>
        </div>
      )}
      {notice && <Alert variant="success" title={notice} live="status" />}
      <ErrorAlert error={load.error} focus={false} />
      <ErrorAlert error={join.error} />

      <section className="app-section" aria-labelledby="ws-details">
        <h2 id="ws-details" className="kern-heading-medium">
          {t('workspaces.details')}
        </h2>
        <dl className="kern-description-list">
          <Item label={t('workspaces.fields.state')}>
            <Badge variant={archived ? 'warning' : 'success'}>{t(`workspaces.state.${ws.state}`)}</Badge>
          </Item>
          <Item label={t('workspaces.fields.fileNumber')}>{ws.file_number || t('workspaces.none')}</Item>
          <Item label={t('workspaces.fields.period')}>{periodText(ws, lng, t) || t('workspaces.none')}</Item>
          <Item label={t('workspaces.fields.responsible')}>
            {memberName(ws.responsible_id)}
            {ws.responsible_id === membershipId && ` (${t('workspaces.member.you')})`}
          </Item>
          <Item label={t('workspaces.fields.visibility')}>{t(`workspaces.visibility.${ws.visibility}`)}</Item>
          <Item label={t('workspaces.myRole')}>{ws.my_role ? t(`workspaces.role.${ws.my_role}`) : t('workspaces.notMember')}</Item>
          <Item label={t('workspaces.fields.folder')}>
            {ws.folder_id ? (
              <>
                <Link className="kern-link" to={folderHref(slug, ws.folder_id)} data-testid="ws-folder">
                  {t('workspaces.folderLink', { name: ws.name })}
                </Link>
                <span className="app-muted-line">{t(archived ? 'workspaces.folderHintArchived' : 'workspaces.folderHint')}</span>
              </>
            ) : (
              t('workspaces.none')
            )}
          </Item>
        </dl>
        <div className="app-actions">
          <PermitButton permit={may.edit} place="details" variant="secondary" icon="edit" onClick={() => setPending('edit')}>
            {t('workspaces.edit.button')}
          </PermitButton>
          {archived ? (
            <PermitButton permit={may.restore} place="details" variant="secondary" icon="autorenew" onClick={() => setPending('restore')}>
              {t('workspaces.restore.button')}
            </PermitButton>
          ) : (
            <PermitButton permit={may.archive} place="details" variant="secondary" onClick={() => setPending('archive')}>
              {t('workspaces.archive.button')}
            </PermitButton>
          )}
          {ws.my_role ? (
            <PermitButton permit={may.leave} place="details" variant="secondary" icon="logout" onClick={() => setPending('leave')}>
              {t('workspaces.leave.button')}
            </PermitButton>
          ) : (
            <PermitButton permit={may.join} place="details" icon="add" busy={join.busy} onClick={() => void doJoin()}>
              {t('workspaces.join.button')}
            </PermitButton>
          )}
        </div>
        <Reasons place="details" permits={[may.edit, archived ? may.restore : may.archive, ws.my_role ? may.leave : may.join]} />
      </section>

      <MembersSection
        workspace={ws}
        members={members}
        error={membersError}
        permit={may.members}
        guestPermit={may.guests}
        onChanged={async (text) => {
          done(text);
          await reload();
        }}
      />

      {(ws.my_role || role === 'admin') && (
        <>
          <ConsultationsSection slug={slug} workspaceId={ws.id} folderId={ws.folder_id} create={consultationPermit(ws, role)} />
          <ActivitySection slug={slug} workspaceId={ws.id} />
        </>
      )}

      <WorkspaceDialog
        open={pending === 'edit'}
        workspace={ws}
        members={members ?? []}
        onClose={() => setPending(null)}
        onServerError={(err) => {
          if (!isStale(err)) return false;
          void staleAgain();
          return true;
        }}
        onSubmit={async (draft, before) => {
          const w = await call(
            api.PATCH('/api/v1/t/{tenant}/workspaces/{id}', { params: { path, header: { 'If-Match': etag(ws.version) } }, body: updateBody(before, draft) }),
          );
          setWs(w);
          done(t('workspaces.edit.done'));
        }}
      />
      <ConfirmDialog
        open={pending === 'archive' || pending === 'restore'}
        title={t(pending === 'restore' ? 'workspaces.restore.title' : 'workspaces.archive.title', { name: ws.name })}
        confirmLabel={t(pending === 'restore' ? 'workspaces.restore.button' : 'workspaces.archive.button')}
        onClose={() => setPending(null)}
        onConfirm={() => changeState(pending === 'restore' ? 'restore' : 'archive')}
      >
        <p className="kern-body">{t(pending === 'restore' ? 'workspaces.restore.text' : 'workspaces.archive.text')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={pending === 'leave'}
        title={t('workspaces.leave.title', { name: ws.name })}
        confirmLabel={t('workspaces.leave.button')}
        onClose={() => setPending(null)}
        onConfirm={async () => {
          await call(api.POST('/api/v1/t/{tenant}/workspaces/{id}/leave', { params: { path } }));
          const left = t('workspaces.leave.done', { name: ws.name });
          if (ws.visibility === 'closed' && role !== 'admin') {
            navigate(workspacesBase(slug), { state: { notice: left } });
            return;
          }
          done(left);
          await reload();
        }}
      >
        <p className="kern-body">{t(ws.visibility === 'closed' ? 'workspaces.leave.textClosed' : 'workspaces.leave.text')}</p>
      </ConfirmDialog>
    </>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kern-description-list-item">
      <dt className="kern-description-list-item__key">{label}</dt>
      <dd className="kern-description-list-item__value">{children}</dd>
    </div>
  );
}
