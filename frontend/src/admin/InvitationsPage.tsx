import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, ROLES, type InvitationView, type Role, type Schemas } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyButton } from '../components/CopyButton';
import { SelectField, TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { useFieldErrors } from '../lib/useFieldErrors';
import { emailError } from '../lib/validation';
import type { TenantInfo } from './AdminConsole';
import { MailLanguageSection } from './MailLanguageSection';
import { ActionCell, Cell, Row, Table } from '../components/Table';

const FIELDS = ['email', 'role'] as const;

/** The roles a tenant-level invitation may give: guests (partners) are invited into a workspace instead. */
export const INVITABLE_ROLES = ROLES.filter((r) => r !== 'partner');

/** What became of the invitation mail: sent, no mail server set up (KOLLAB_SMTP_URL), or the server refused it. */
export type InvitationMail = 'sent' | 'notConfigured' | 'failed';

export function invitationMail(inv: Pick<InvitationView, 'mail_sent' | 'mail_configured'>): InvitationMail {
  if (inv.mail_sent) return 'sent';
  return inv.mail_configured ? 'failed' : 'notConfigured';
}

export function InvitationsPage({ tenant, onSaved }: { tenant: TenantInfo; onSaved?: (s: Schemas['SettingsView']) => void }) {
  const { t, i18n } = useTranslation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('staff');
  const [link, setLink] = useState<{ email: string; url: string; resent: boolean; mail: InvitationMail } | null>(null);
  const [invitations, setInvitations] = useState<InvitationView[] | null>(null);
  const [revoke, setRevoke] = useState<InvitationView | null>(null);
  const [message, setMessage] = useState('');
  const load = useAction();
  const act = useAction();
  const fields = useFieldErrors(FIELDS, (f) => `invite-${f}`);
  const path = { tenant: tenant.slug };

  const reload = useCallback(async () => {
    const res = await load.run(() => call(api.GET('/api/v1/t/{tenant}/invitations', { params: { path: { tenant: tenant.slug }, query: { pending: true } } })));
    if (res) setInvitations(res.invitations ?? []);
  }, [tenant.slug]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  const showLink = (inv: InvitationView, resent: boolean) => {
    setLink({ email: inv.email, url: inv.accept_url ?? '', resent, mail: invitationMail(inv) });
    setTimeout(() => document.getElementById('invite-result')?.focus(), 0);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage('');
    if (fields.check({ email: emailError(email) })) return;
    const inv = await act.run(() => call(api.POST('/api/v1/t/{tenant}/invitations', { params: { path }, body: { email: email.trim(), role } })), fields.fromServer);
    if (inv) {
      setEmail('');
      showLink(inv, false);
      await reload();
    }
  };

  const resend = async (inv: InvitationView) => {
    setMessage('');
    const res = await act.run(() => call(api.POST('/api/v1/t/{tenant}/invitations/{id}/resend', { params: { path: { ...path, id: inv.id } } })));
    if (res) {
      showLink(res, true);
      await reload();
    }
  };

  return (
    <>
      <PageHeading title={t('admin.invitations.title')}>{t('admin.invitations.title')}</PageHeading>
      <section className="app-section" aria-labelledby="invite-new">
        <h2 id="invite-new" className="kern-heading-medium">
          {t('admin.invitations.new')}
        </h2>
        <ErrorAlert error={act.error} />
        <form className="app-form app-form--inline" onSubmit={submit} noValidate>
          <TextField id="invite-email" type="email" label={t('admin.invitations.email')} autoComplete="off" maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} error={fields.errors.email} required />
          <SelectField
            id="invite-role"
            label={t('admin.invitations.role')}
            hint={t('admin.invitations.guestsElsewhere')}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            error={fields.errors.role}
          >
            {INVITABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </SelectField>
          <div className="app-actions">
            <Button type="submit" icon="mail" busy={act.busy}>
              {t('admin.invitations.send')}
            </Button>
          </div>
        </form>
        {link && (
          <div id="invite-result" tabIndex={-1} className="app-focus-target">
            <Alert
              variant={link.mail === 'sent' ? 'success' : link.mail === 'failed' ? 'warning' : 'info'}
              title={t(`admin.invitations.${link.mail === 'sent' ? '' : 'unmailed.'}${link.resent ? 'resent' : 'sent'}`, { email: link.email })}
              live="status"
            >
              <p className="kern-body">{t(link.mail === 'sent' ? 'admin.invitations.linkText' : `admin.invitations.unmailed.${link.mail}`)}</p>
              <TextField id="invite-link" label={t('admin.invitations.link')} value={link.url} readOnly className="app-field--mono" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton text={link.url} label={t('admin.invitations.copyLink')} />
            </Alert>
          </div>
        )}
      </section>
      <section className="app-section" aria-labelledby="invite-pending">
        <h2 id="invite-pending" className="kern-heading-medium">
          {t('admin.invitations.pending')}
        </h2>
        {message && <Alert variant="success" title={message} live="status" />}
        <ErrorAlert error={load.error} focus={false} />
        {!invitations && !load.error && <Loading inline />}
        {invitations && (
          <Table
            empty={<p className="kern-body kern-body--muted">{t('admin.invitations.none')}</p>}
            labelledBy="invite-pending"
            columns={[t('admin.invitations.email'), t('admin.invitations.role'), t('admin.invitations.created'), t('admin.invitations.expires')]}
            actions
          >
            {invitations.map((inv) => (
              <Row key={inv.id}>
                <Cell>{inv.email}</Cell>
                <Cell>{t(`roles.${inv.role}`)}</Cell>
                <Cell>{formatDateTime(inv.created_at, i18n.language)}</Cell>
                <Cell>{formatDateTime(inv.expires_at, i18n.language)}</Cell>
                <ActionCell>
                  <Button variant="secondary" small icon="mail" onClick={() => resend(inv)} busy={act.busy}>
                    {t('admin.invitations.resend')}
                    <span className="app-sr-only">: {inv.email}</span>
                  </Button>
                  <Button variant="secondary" small icon="delete" onClick={() => setRevoke(inv)}>
                    {t('admin.invitations.revoke')}
                    <span className="app-sr-only">: {inv.email}</span>
                  </Button>
                </ActionCell>
              </Row>
            ))}
          </Table>
        )}
      </section>
      <MailLanguageSection tenant={tenant} onSaved={onSaved} />
      <ConfirmDialog
        open={revoke !== null}
        title={t('admin.invitations.revokeTitle')}
        confirmLabel={t('admin.invitations.revoke')}
        onClose={() => setRevoke(null)}
        onConfirm={async () => {
          if (!revoke) return;
          await call(api.DELETE('/api/v1/t/{tenant}/invitations/{id}', { params: { path: { ...path, id: revoke.id } } }));
          setMessage(t('admin.invitations.revoked', { email: revoke.email }));
          if (link?.email === revoke.email) setLink(null);
          await reload();
        }}
      >
        <p className="kern-body">{revoke && t('admin.invitations.revokeText', { email: revoke.email })}</p>
      </ConfirmDialog>
    </>
  );
}
