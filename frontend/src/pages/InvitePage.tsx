import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, call, type InvitationInfo } from '../api/client';
import { isApiError } from '../api/problem';
import { useSession } from '../auth/session';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { PublicFrame } from '../frame/PublicFrame';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { useFieldErrors } from '../lib/useFieldErrors';
import { newPasswordErrors, requiredError, MIN_PASSWORD_LENGTH } from '../lib/validation';

/** The invitation token travels in the URL fragment (#token=…), never to a server log. */
export function tokenFromHash(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get('token') ?? '';
}

/**
 * Whether two spellings name one address, as far as the page can tell (the server decides:
 * it also folds case fully and knows whether the account's address is verified).
 */
export function sameAddress(a: string, b: string): boolean {
  return a.trim().normalize('NFC').toLowerCase() === b.trim().normalize('NFC').toLowerCase();
}

/** /invite/:slug#token=… — accept an invitation: new account, existing account, or the signed-in one. */
export function InvitePage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const [token] = useState(() => tokenFromHash(window.location.hash));
  const [info, setInfo] = useState<InvitationInfo | null>(null);
  const lookup = useAction();

  useEffect(() => {
    if (!token) return;
    void lookup.run(async () => setInfo(await call(api.POST('/api/v1/t/{tenant}/invitations/lookup', { params: { path: { tenant: slug } }, body: { token } }))));
  }, [slug, token]); // eslint-disable-line react-hooks/exhaustive-deps

  let body;
  if (!token) {
    body = (
      <Alert variant="danger" title={t('invite.noTokenTitle')}>
        <p className="kern-body">{t('invite.noTokenText')}</p>
      </Alert>
    );
  } else if (lookup.error) {
    const invalid = isApiError(lookup.error) && (lookup.error.code === 'not-found' || lookup.error.code === 'expired');
    body = invalid ? (
      <Alert variant="danger" title={t('invite.invalidTitle')} live="alert">
        <p className="kern-body">{t('invite.invalidText')}</p>
      </Alert>
    ) : (
      <ErrorAlert error={lookup.error} />
    );
  } else if (!info) {
    body = <Loading />;
  } else {
    body = <Accept slug={slug} token={token} info={info} />;
  }

  return (
    <PublicFrame>
      <PageHeading title={t('invite.title')}>{info ? t('invite.titleTenant', { tenant: info.tenant_name }) : t('invite.title')}</PageHeading>
      {body}
    </PublicFrame>
  );
}

const FIELDS = ['display_name', 'password', 'repeat'] as const;

function Accept({ slug, token, info }: { slug: string; token: string; info: InvitationInfo }) {
  const { t, i18n } = useTranslation();
  const { state, login, logout, refresh } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, error, setError, run } = useAction();
  const fields = useFieldErrors(FIELDS, (f) => `invite-${f}`);
  const signedInAs = state.status === 'signed-in' ? state.me.email : null;
  const sameAccount = signedInAs !== null && sameAddress(signedInAs, info.email);
  // The server refuses every account but the invited address's own (verified) one.
  const refused = isApiError(error) && error.code === 'invitation-other-account';
  const target = `/t/${slug}`;

  const forget = () => window.history.replaceState(null, '', window.location.pathname);

  const acceptWithPassword = async (e: FormEvent) => {
    e.preventDefault();
    if (info.account_exists) {
      if (fields.check({ password: requiredError(password, 'validation.passwordRequired') })) return;
    } else {
      const pw = newPasswordErrors(password, repeat);
      if (fields.check({ display_name: requiredError(name, 'validation.nameRequired'), password: pw.password, repeat: pw.repeat })) return;
    }
    const step = await run(async () => {
      const body = info.account_exists ? { token, password } : { token, display_name: name.trim(), password };
      await call(api.POST('/api/v1/t/{tenant}/invitations/accept', { params: { path: { tenant: slug } }, body }));
      forget();
      return login(info.email, password);
    }, fields.fromServer);
    if (step === 'second-factor') navigate(`/login?next=${encodeURIComponent(target)}`, { replace: true });
    else if (step === 'done') navigate(target, { replace: true });
  };

  const acceptIntoCurrent = async () => {
    const ok = await run(async () => {
      await call(api.POST('/api/v1/t/{tenant}/invitations/accept', { params: { path: { tenant: slug } }, body: { token, into_current_account: true } }));
      forget();
      await refresh();
      return true;
    });
    if (ok) navigate(target, { replace: true });
  };

  return (
    <>
      <dl className="kern-description-list app-section">
        <div className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{t('invite.tenant')}</dt>
          <dd className="kern-description-list-item__value">{info.tenant_name}</dd>
        </div>
        <div className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{t('invite.email')}</dt>
          <dd className="kern-description-list-item__value">{info.email}</dd>
        </div>
        <div className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{t('invite.role')}</dt>
          <dd className="kern-description-list-item__value">{t(`roles.${info.role}`)}</dd>
        </div>
        <div className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{t('invite.expires')}</dt>
          <dd className="kern-description-list-item__value">{formatDateTime(info.expires_at, i18n.language)}</dd>
        </div>
      </dl>
      {info.totp_required && (
        <Alert variant="info" title={t('invite.totpTitle')}>
          <p className="kern-body">{t('invite.totpText')}</p>
        </Alert>
      )}
      {refused ? (
        <Alert variant="danger" title={t('invite.mismatchTitle')} live="alert" focus>
          <p className="kern-body">
            {signedInAs && !sameAccount ? t('invite.mismatchText', { current: signedInAs, invited: info.email }) : isApiError(error) ? error.detail : ''}
          </p>
          <Button
            variant="secondary"
            icon="logout"
            onClick={async () => {
              await logout();
              setError(null);
            }}
          >
            {t('frame.signOut')}
          </Button>
        </Alert>
      ) : (
        <ErrorAlert error={error} />
      )}
      {refused ? null : sameAccount ? (
        <div className="app-section">
          <p className="kern-body">{t('invite.signedInSame', { email: signedInAs })}</p>
          <Button onClick={acceptIntoCurrent} busy={busy}>
            {t('invite.acceptCurrent')}
          </Button>
        </div>
      ) : signedInAs ? (
        <div className="app-section">
          <Alert variant="warning" title={t('invite.otherAccountTitle')}>
            <p className="kern-body">{t('invite.otherAccountText', { current: signedInAs, invited: info.email })}</p>
          </Alert>
          <Button variant="secondary" icon="logout" onClick={() => void logout()}>
            {t('frame.signOut')}
          </Button>
        </div>
      ) : (
        <form className="app-form app-section" onSubmit={acceptWithPassword} noValidate>
          <h2 className="kern-heading-medium">{info.account_exists ? t('invite.existingTitle') : t('invite.newTitle')}</h2>
          <p className="kern-body">{info.account_exists ? t('invite.existingText', { email: info.email }) : t('invite.newText')}</p>
          {!info.account_exists && (
            <TextField id="invite-display_name" label={t('invite.name')} autoComplete="name" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} error={fields.errors.display_name} required />
          )}
          <input type="hidden" name="username" autoComplete="username" value={info.email} readOnly />
          <TextField
            id="invite-password"
            label={info.account_exists ? t('invite.passwordExisting') : t('invite.passwordNew')}
            hint={info.account_exists ? undefined : t('profile.password.hint', { count: MIN_PASSWORD_LENGTH })}
            type="password"
            autoComplete={info.account_exists ? 'current-password' : 'new-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fields.errors.password}
            required
          />
          {!info.account_exists && (
            <TextField id="invite-repeat" label={t('profile.password.repeat')} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} error={fields.errors.repeat} required />
          )}
          <div className="app-actions">
            <Button type="submit" busy={busy}>
              {t('invite.accept')}
            </Button>
          </div>
        </form>
      )}
    </>
  );
}
