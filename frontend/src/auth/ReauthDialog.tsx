// The re-authentication dialog: an action on the account's credentials (password,
// authenticator app, recovery codes, API tokens) answers `reauth-required` until the
// session was confirmed in the last five minutes. The API client then asks this dialog
// (setReauthHandler); on success it sends the action once more.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, setReauthHandler } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { RecoveryCodeField, TotpCodeField } from '../components/CodeFields';
import { Dialog } from '../components/Dialog';
import { TextField } from '../components/Field';
import { useAction } from '../lib/useAction';
import { useFieldErrors } from '../lib/useFieldErrors';
import { codeError, normaliseCode, recoveryCodeError, requiredError } from '../lib/validation';
import { useSession } from './session';

const FIELDS = ['password', 'code', 'recovery_code'] as const;

export function ReauthDialog() {
  const { t } = useTranslation();
  const { state } = useSession();
  const totp = state.status === 'signed-in' && state.me.totp_enabled;
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<'code' | 'recovery'>('code');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState('');
  const resolver = useRef<((ok: boolean) => void) | null>(null);
  const { busy, error, setError, run } = useAction();
  const fields = useFieldErrors(FIELDS, (f) => `reauth-${f}`);

  useEffect(
    () =>
      setReauthHandler(
        () =>
          new Promise<boolean>((resolve) => {
            resolver.current?.(false);
            resolver.current = resolve;
            setPassword('');
            setCode('');
            setRecovery('');
            setMode('code');
            setError(null);
            fields.clear();
            setOpen(true);
          }),
      ),
    [], // eslint-disable-line react-hooks/exhaustive-deps
  );

  // The password field takes the focus (the dialog would give it to its close button).
  useEffect(() => {
    if (open) setTimeout(() => document.getElementById('reauth-password')?.focus(), 0);
  }, [open]);

  const finish = useCallback((ok: boolean) => {
    setOpen(false);
    resolver.current?.(ok);
    resolver.current = null;
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checks = {
      password: requiredError(password, 'validation.passwordRequired'),
      code: totp && mode === 'code' ? codeError(code) : undefined,
      recovery_code: totp && mode === 'recovery' ? recoveryCodeError(recovery) : undefined,
    };
    if (fields.check(checks)) return;
    const body = !totp
      ? { password }
      : mode === 'code'
        ? { password, code: normaliseCode(code) }
        : { password, recovery_code: recovery.trim() };
    const ok = await run(async () => {
      await call(api.POST('/api/v1/me/reauth', { body }));
      return true;
    }, fields.fromServer);
    if (ok) finish(true);
    else setCode('');
  };

  const switchMode = () => {
    fields.clear();
    setMode((m) => (m === 'code' ? 'recovery' : 'code'));
    setTimeout(() => document.getElementById(mode === 'code' ? 'reauth-recovery_code' : 'reauth-code')?.focus(), 0);
  };

  return (
    <Dialog open={open} title={t('reauth.title')} onClose={() => finish(false)}>
      <p className="kern-body">{totp ? t('reauth.leadTotp') : t('reauth.leadPassword')}</p>
      <ErrorAlert error={error} />
      <form className="app-form" onSubmit={submit} noValidate aria-label={t('reauth.title')}>
        <TextField
          id="reauth-password"
          label={t('reauth.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.errors.password}
          required
        />
        {totp && mode === 'code' && (
          <TotpCodeField id="reauth-code" value={code} onChange={(e) => setCode(e.target.value)} error={fields.errors.code} />
        )}
        {totp && mode === 'recovery' && (
          <RecoveryCodeField
            id="reauth-recovery_code"
            value={recovery}
            onChange={(e) => setRecovery(e.target.value)}
            error={fields.errors.recovery_code}
          />
        )}
        <div className="app-actions">
          <Button type="submit" busy={busy}>
            {t('reauth.submit')}
          </Button>
          {totp && (
            <Button variant="secondary" onClick={switchMode}>
              {mode === 'code' ? t('secondFactor.useRecovery') : t('secondFactor.useCode')}
            </Button>
          )}
          <Button variant="tertiary" onClick={() => finish(false)}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
