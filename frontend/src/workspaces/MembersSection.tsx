import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { CopyButton } from '../components/CopyButton';
import { TextField } from '../components/Field';
import { Badge } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ActionCell, Cell, Row, Table } from '../components/Table';
import { useDocs } from '../documents/context';
import { useMemberName } from '../documents/parts';
import { formatDate } from '../lib/format';
import { guestApi, type GuestInviteOutBody } from '../guests/api';
import { mayManageGuests } from '../guests/model';
import { GuestInvitations } from './GuestInvitations';
import { GuestInviteDialog } from './GuestInviteDialog';
import { MemberDialog } from './MemberDialog';
import { sortMembers, type Permit, type Workspace, type WorkspaceMember } from './model';
import { PermitButton, Reasons } from './parts';

/** An invitation whose mail did not go out: the link to pass on, and why. */
interface Unmailed {
  email: string;
  url: string;
  why: 'notConfigured' | 'failed';
}

/** What became of a guest invitation: a status text, or a link to pass on by hand. */
export function inviteResult(res: GuestInviteOutBody): { notice: 'added' | 'invited' } | { unmailed: Unmailed } {
  if (res.outcome === 'added') return { notice: 'added' };
  const inv = res.invitation;
  // An older answer without the invitation: the server sent the mail.
  if (!inv || inv.mail_sent !== false || !inv.accept_url) return { notice: 'invited' };
  return { unmailed: { email: res.email, url: inv.accept_url, why: inv.mail_configured ? 'failed' : 'notConfigured' } };
}

type Pending = { kind: 'add' } | { kind: 'guest' } | { kind: 'role'; member: WorkspaceMember } | { kind: 'remove'; member: WorkspaceMember } | null;

/**
 * A workspace's members: name (as the member list gives it), a mark for guests and for
 * inactive memberships, role, since when; owners and administrators add members with the
 * member picker, invite guests by address, change roles and take members out (others see
 * the buttons disabled, with the reason). Pending guest invitations follow the list. The
 * server's refusals (the last owner, the responsible person, an address of staff) are
 * shown as it words them.
 */
export function MembersSection({
  workspace,
  members,
  error,
  permit,
  guestPermit,
  onChanged,
}: {
  workspace: Workspace;
  members: WorkspaceMember[] | null;
  error: unknown;
  permit: Permit;
  guestPermit: Permit;
  onChanged: (notice: string) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const { slug, membershipId, role } = useDocs();
  const directoryName = useMemberName();
  const [pending, setPending] = useState<Pending>(null);
  const [invites, setInvites] = useState(0);
  const [unmailed, setUnmailed] = useState<Unmailed | null>(null);
  const path = { tenant: slug, id: workspace.id };
  const byId = new Map((members ?? []).map((m) => [m.membership_id, m]));
  // The list names its members; the directory is the fallback (and for ids not in the list).
  const name = (id: string) => byId.get(id)?.display_name || directoryName(id);
  const rows = sortMembers(members ?? [], (id) => name(id));

  return (
    <section className="app-section" aria-labelledby="ws-members">
      <h2 id="ws-members" className="kern-heading-medium" tabIndex={-1}>
        {t('workspaces.member.title', { count: workspace.member_count })}
      </h2>
      <div className="app-actions">
        <PermitButton permit={permit} place="members" icon="add" onClick={() => setPending({ kind: 'add' })}>
          {t('workspaces.member.addButton')}
        </PermitButton>
        <PermitButton permit={guestPermit} place="members" variant="secondary" icon="mail" onClick={() => setPending({ kind: 'guest' })}>
          {t('guests.invite.button')}
        </PermitButton>
      </div>
      <Reasons place="members" permits={[permit, guestPermit]} />
      {unmailed && (
        <div id="ws-guest-link" tabIndex={-1} className="app-focus-target">
          <Alert variant={unmailed.why === 'failed' ? 'warning' : 'info'} title={t(`guests.invite.unmailed.${unmailed.why}`, { email: unmailed.email })} live="status">
            <p className="kern-body">{t('guests.invite.unmailed.text')}</p>
            <TextField id="ws-guest-link-url" label={t('guests.invite.unmailed.link')} value={unmailed.url} readOnly className="app-field--mono" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={unmailed.url} label={t('admin.invitations.copyLink')} />
          </Alert>
        </div>
      )}
      <ErrorAlert error={error} focus={false} />
      {members && (
        <Table labelledBy="ws-members" columns={[t('workspaces.member.name'), t('workspaces.member.role'), t('workspaces.member.since')]} actions>
          {rows.map((m) => (
            <Row key={m.membership_id} data-member={name(m.membership_id)}>
              <Cell>
                {name(m.membership_id)}
                {m.membership_id === membershipId && ` (${t('workspaces.member.you')})`}
                {m.membership_id === workspace.responsible_id && (
                  <>
                    {' '}
                    <Badge variant="info">{t('workspaces.member.responsible')}</Badge>
                  </>
                )}
                {m.guest && (
                  <>
                    {' '}
                    <Badge variant="info">{t('guests.badge')}</Badge>
                  </>
                )}
                {m.active === false && (
                  <>
                    {' '}
                    <Badge variant="warning">{t('workspaces.member.inactive')}</Badge>
                  </>
                )}
              </Cell>
              <Cell>{t(`workspaces.role.${m.role}`)}</Cell>
              <Cell>{formatDate(m.created_at, i18n.language)}</Cell>
              <ActionCell>
                <PermitButton permit={permit} place="members" variant="secondary" small onClick={() => setPending({ kind: 'role', member: m })}>
                  {t('workspaces.member.changeRole')}
                  <span className="app-sr-only">: {name(m.membership_id)}</span>
                </PermitButton>
                <PermitButton permit={permit} place="members" variant="secondary" small onClick={() => setPending({ kind: 'remove', member: m })}>
                  {t('workspaces.member.remove')}
                  <span className="app-sr-only">: {name(m.membership_id)}</span>
                </PermitButton>
              </ActionCell>
            </Row>
          ))}
        </Table>
      )}
      <GuestInvitations
        slug={slug}
        workspace={workspace}
        permit={guestPermit}
        version={invites}
        onWithdrawn={onChanged}
      />
      <GuestInviteDialog<GuestInviteOutBody>
        open={pending?.kind === 'guest'}
        slug={slug}
        workspaceName={workspace.name}
        withOrganisations={mayManageGuests(role)}
        onClose={() => setPending(null)}
        onSubmit={(body) => call(guestApi.POST('/api/v1/t/{tenant}/workspaces/{id}/guests', { params: { path }, body }))}
        onDone={(res) => {
          setInvites((n) => n + 1);
          const r = inviteResult(res);
          if ('unmailed' in r) {
            setUnmailed(r.unmailed);
            void onChanged('').then(() => setTimeout(() => document.getElementById('ws-guest-link')?.focus(), 0));
            return;
          }
          setUnmailed(null);
          void onChanged(t(r.notice === 'added' ? 'guests.invite.added' : 'guests.invite.invited', { email: res.email }));
        }}
      />
      <MemberDialog
        open={pending?.kind === 'add' || pending?.kind === 'role'}
        member={pending?.kind === 'role' ? pending.member : undefined}
        memberName={pending?.kind === 'role' ? name(pending.member.membership_id) : undefined}
        onClose={() => setPending(null)}
        onSubmit={async (membership, role, who) => {
          await call(api.PUT('/api/v1/t/{tenant}/workspaces/{id}/members/{membership}', { params: { path: { ...path, membership } }, body: { role } }));
          await onChanged(t('workspaces.member.saved', { name: who, role: t(`workspaces.role.${role}`) }));
        }}
      />
      <ConfirmDialog
        open={pending?.kind === 'remove'}
        title={pending?.kind === 'remove' ? t('workspaces.member.removeTitle', { name: name(pending.member.membership_id) }) : ''}
        confirmLabel={t('workspaces.member.remove')}
        onClose={() => setPending(null)}
        onConfirm={async () => {
          if (pending?.kind !== 'remove') return;
          const who = name(pending.member.membership_id);
          await call(api.DELETE('/api/v1/t/{tenant}/workspaces/{id}/members/{membership}', { params: { path: { ...path, membership: pending.member.membership_id } } }));
          await onChanged(t('workspaces.member.removed', { name: who }));
        }}
      >
        <p className="kern-body">{t('workspaces.member.removeText')}</p>
      </ConfirmDialog>
    </section>
  );
}
