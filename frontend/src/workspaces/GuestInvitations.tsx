import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Loading } from '../components/Loading';
import { ActionCell, Cell, Row, Table } from '../components/Table';
import { guestApi, type GuestInvitationView } from '../guests/api';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { formatDay, type Permit, type Workspace } from './model';
import { PermitButton } from './parts';

/**
 * The workspace's pending guest invitations (owners and administrators only), each with
 * "Zurückziehen": the workspace leaves the invitation (which ends once it names no
 * workspace any more). `version` changes when an invitation was added.
 */
export function GuestInvitations({
  slug,
  workspace,
  permit,
  version,
  onWithdrawn,
}: {
  slug: string;
  workspace: Workspace;
  permit: Permit;
  version: number;
  onWithdrawn: (notice: string) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [list, setList] = useState<GuestInvitationView[] | null>(null);
  const [withdraw, setWithdraw] = useState<GuestInvitationView | null>(null);
  const [local, setLocal] = useState(0);
  const load = useAction();
  const path = { tenant: slug, id: workspace.id };

  useEffect(() => {
    if (!workspace.can_manage) return;
    void load.run(async () => {
      const res = await call(guestApi.GET('/api/v1/t/{tenant}/workspaces/{id}/guest-invitations', { params: { path } }));
      setList(res.invitations);
    });
  }, [slug, workspace.id, workspace.can_manage, version, local]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!workspace.can_manage) return null;
  return (
    // Not a region of its own: the table's scrollable region carries the heading's name.
    <div className="app-section">
      <h3 id="ws-guest-invitations" className="kern-heading-small">
        {t('guests.invitations.title')}
      </h3>
      <ErrorAlert error={load.error} focus={false} />
      {!list && !load.error && <Loading inline />}
      {list && (
        <Table
          labelledBy="ws-guest-invitations"
          empty={<p className="kern-body kern-body--muted">{t('guests.invitations.none')}</p>}
          columns={[t('guests.fields.email'), t('guests.fields.role'), t('guests.invitations.created'), t('guests.invitations.linkValid'), t('guests.fields.until')]}
          actions
        >
          {list.map((inv) => (
            <Row key={inv.invitation_id} data-invitation={inv.email}>
              <Cell className="app-break">{inv.email}</Cell>
              <Cell>{t(`workspaces.role.${inv.role}`)}</Cell>
              <Cell>{formatDateTime(inv.created_at, lng)}</Cell>
              <Cell>{formatDateTime(inv.expires_at, lng)}</Cell>
              <Cell>{formatDay(inv.guest_expires_on, lng)}</Cell>
              <ActionCell>
                <PermitButton permit={permit} place="members" variant="secondary" small icon="delete" onClick={() => setWithdraw(inv)}>
                  {t('guests.invitations.withdraw')}
                  <span className="app-sr-only">: {inv.email}</span>
                </PermitButton>
              </ActionCell>
            </Row>
          ))}
        </Table>
      )}
      <ConfirmDialog
        open={withdraw !== null}
        title={t('guests.invitations.withdrawTitle', { email: withdraw?.email ?? '' })}
        confirmLabel={t('guests.invitations.withdraw')}
        onClose={() => setWithdraw(null)}
        onConfirm={async () => {
          if (!withdraw) return;
          await call(
            guestApi.DELETE('/api/v1/t/{tenant}/workspaces/{id}/guest-invitations/{invitation}', { params: { path: { ...path, invitation: withdraw.invitation_id } } }),
          );
          setLocal((n) => n + 1);
          await onWithdrawn(t('guests.invitations.withdrawn', { email: withdraw.email }));
        }}
      >
        <p className="kern-body">{t('guests.invitations.withdrawText', { name: workspace.name })}</p>
      </ConfirmDialog>
    </div>
  );
}
