import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError, isSessionGone } from '../api/problem';
import { safeNext, SessionLoading } from '../auth/gates';
import { useSession } from '../auth/session';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { RecoveryCodeField, TotpCodeField } from '../components/CodeFields';
import { TextField } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { PublicFrame } from '../frame/PublicFrame';
import { useAction } from '../lib/useAction';
import { useFieldErrors } from '../lib/useFieldErrors';
import { codeError, normaliseCode, recoveryCodeError, requiredError } from '../lib/validation';

export function LoginPage() {
  const { state } = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  if (state.status === 'loading') return <SessionLoading />;
  if (state.status === 'signed-in') return <Navigate to={next ?? '/'} replace />;
  return (
    <PublicFrame>
      {state.status === 'pending' ? <SecondFactorForm /> : <PasswordForm reason={state.reason} />}
    </PublicFrame>
  );
}

const PW_FIELDS = ['email', 'password'] as const;

function PasswordForm({ reason }: { reason?: 'expired' | 'signed-out' }) {
  const { t } = useTranslation();
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const fields = useFieldErrors(PW_FIELDS, (f) => `login-${f}`);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (fields.check({ email: requiredError(email, 'validation.emailRequired'), password: requiredError(password, 'validation.passwordRequired') })) return;
    const ok = await run(() => login(email.trim(), password));
    if (ok === undefined) setPassword('');
  };

  return (
    <>
      <PageHeading title={t('login.title')} sub={t('login.lead')}>
        {t('login.title')}
      </PageHeading>
      {reason === 'expired' && !error && (
        <Alert variant="warning" title={t('login.expiredTitle')} live="status">
          <p className="kern-body">{t('login.expiredText')}</p>
        </Alert>
      )}
      {reason === 'signed-out' && !error && (
        <Alert variant="success" title={t('login.signedOut')} live="status" />
      )}
      <ErrorAlert error={error} />
      <form className="app-form" onSubmit={submit} noValidate aria-labelledby="login-form-title">
        <h2 id="login-form-title" className="kern-sr-only">
          {t('login.title')}
        </h2>
        <TextField
          id="login-email"
          label={t('login.email')}
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fields.errors.email}
          required
        />
        <TextField
          id="login-password"
          label={t('login.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.errors.password}
          required
        />
        <div className="app-actions">
          <Button type="submit" busy={busy}>
            {t('login.submit')}
          </Button>
        </div>
      </form>
    </>
  );
}

const CODE_FIELDS = ['code', 'recovery'] as const;

function SecondFactorForm() {
  const { t } = useTranslation();
  const { secondFactor, logout, expire } = useSession();
  const navigate = useNavigate();
  const [mode, setMode] = useState<'code' | 'recovery'>('code');
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState('');
  const { busy, error, run } = useAction();
  const fields = useFieldErrors(CODE_FIELDS, (f) => `second-factor-${f}`);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'code' ? fields.check({ code: codeError(code) }) : fields.check({ recovery: recoveryCodeError(recovery) })) return;
    await run(async () => {
      try {
        return await secondFactor(mode === 'code' ? { code: normaliseCode(code) } : { recovery_code: recovery.trim() });
      } catch (err) {
        setCode('');
        if (isApiError(err) && isSessionGone(err.code)) expire(); // the pending sign-in timed out
        throw err;
      }
    });
  };

  const switchMode = () => {
    fields.clear();
    setMode((m) => (m === 'code' ? 'recovery' : 'code'));
    setTimeout(() => document.getElementById(mode === 'code' ? 'second-factor-recovery' : 'second-factor-code')?.focus(), 0);
  };

  const cancel = async () => {
    await logout().catch(() => undefined);
    navigate('/login', { replace: true });
  };

  return (
    <>
      <PageHeading title={t('secondFactor.title')} sub={mode === 'code' ? t('secondFactor.leadCode') : t('secondFactor.leadRecovery')}>
        {t('secondFactor.title')}
      </PageHeading>
      <ErrorAlert error={error} />
      <form className="app-form" onSubmit={submit} noValidate>
        {mode === 'code' ? (
          <TotpCodeField
            id="second-factor-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={fields.errors.code}
            autoFocus
          />
        ) : (
          <RecoveryCodeField
            id="second-factor-recovery"
            value={recovery}
            onChange={(e) => setRecovery(e.target.value)}
            error={fields.errors.recovery}
          />
        )}
        <div className="app-actions">
          <Button type="submit" busy={busy}>
            {t('secondFactor.submit')}
          </Button>
          <Button variant="secondary" onClick={switchMode}>
            {mode === 'code' ? t('secondFactor.useRecovery') : t('secondFactor.useCode')}
          </Button>
          <Button variant="tertiary" onClick={cancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </>
  );
}
