import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, ROLES, type MemberView, type Role, type Schemas } from '../api/client';
import { INVITABLE_ROLES } from './InvitationsPage';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { SelectField } from '../components/Field';
import { useAction } from '../lib/useAction';
import type { TenantInfo } from './AdminConsole';

interface Props {
  tenant: TenantInfo;
  member: MemberView | null;
  onClose: () => void;
  onUpdated: (m: MemberView) => void;
  onReset: () => void;
}

/** Change a member's role, (de)activate them, or reset their second factor. */
export function MemberDialog({ tenant, member, onClose, onUpdated, onReset }: Props) {
  const { t } = useTranslation();
  const [role, setRole] = useState<Role>('staff');
  const [confirmReset, setConfirmReset] = useState(false);
  const [message, setMessage] = useState('');
  const action = useAction();
  const self = member?.id === tenant.membership_id;

  useEffect(() => {
    if (member) setRole(member.role as Role);
  }, [member?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    setMessage('');
    setConfirmReset(false);
    action.setError(null);
  }, [member?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!member) return <Dialog open={false} title="" onClose={onClose}>{null}</Dialog>;
  const name = member.display_name || member.email;
  const path = { tenant: tenant.slug, id: member.id };

  const patch = async (body: Schemas['MemberPatchInBody'], done: string) => {
    setMessage('');
    const m = await action.run(() => call(api.PATCH('/api/v1/t/{tenant}/members/{id}', { params: { path }, body })));
    if (m) {
      onUpdated(m);
      setMessage(done);
    }
  };

  const reset = async () => {
    setMessage('');
    const ok = await action.run(async () => {
      await call(api.POST('/api/v1/t/{tenant}/members/{id}/totp-reset', { params: { path } }));
      return true;
    });
    setConfirmReset(false);
    if (ok) {
      onUpdated({ ...member, totp_enabled: false });
      onReset();
      setMessage(t('admin.member.resetDone', { name }));
    }
  };

  return (
    <Dialog open title={t('admin.member.title', { name })} onClose={onClose}>
      <p className="kern-body">{member.email}</p>
      {message && <Alert variant="success" title={message} live="status" />}
      <ErrorAlert error={action.error} />
      <div className="app-dialog-group">
        <SelectField id="member-role" label={t('admin.member.role')} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {/* Nobody becomes a guest by a role change (guests are invited into a workspace); a guest may become staff. */}
          {(member.role === 'partner' ? ROLES : INVITABLE_ROLES).map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </SelectField>
        <Button
          variant="primary"
          busy={action.busy}
          onClick={() => (role === member.role ? setMessage(t('admin.member.roleUnchanged')) : patch({ role }, t('admin.member.roleChanged', { name, role: t(`roles.${role}`) })))}
        >
          {t('admin.member.saveRole')}
        </Button>
      </div>
      <div className="app-dialog-group">
        <h3 className="kern-heading-small">{t('admin.member.access')}</h3>
        {self ? (
          <p className="kern-body">{t('admin.member.selfNote')}</p>
        ) : member.status === 'active' ? (
          <Button variant="secondary" busy={action.busy} onClick={() => patch({ status: 'deactivated' }, t('admin.member.deactivated', { name }))}>
            {t('admin.member.deactivate')}
          </Button>
        ) : (
          <Button variant="secondary" busy={action.busy} onClick={() => patch({ status: 'active' }, t('admin.member.reactivated', { name }))}>
            {t('admin.member.reactivate')}
          </Button>
        )}
      </div>
      <div className="app-dialog-group">
        <h3 className="kern-heading-small">{t('admin.member.twoFactor')}</h3>
        {!member.totp_enabled ? (
          <p className="kern-body">{t('admin.member.noTotp')}</p>
        ) : confirmReset ? (
          <div role="group" aria-labelledby="member-reset-question">
            <p className="kern-body" id="member-reset-question">
              {t('admin.member.resetQuestion', { name })}
            </p>
            <div className="app-actions">
              <Button variant="primary" busy={action.busy} onClick={reset}>
                {t('admin.member.resetConfirm')}
              </Button>
              <Button variant="secondary" onClick={() => setConfirmReset(false)}>
                {t('common.cancel')}
              </Button>
            </div>
          </div>
        ) : (
          <Button variant="secondary" icon="autorenew" onClick={() => setConfirmReset(true)}>
            {t('admin.member.reset')}
          </Button>
        )}
      </div>
    </Dialog>
  );
}
