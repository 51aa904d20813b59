import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Enrolment } from '../api/client';
import { groupKey } from '../lib/format';
import { useAction } from '../lib/useAction';
import { useFieldErrors } from '../lib/useFieldErrors';
import { codeError, normaliseCode } from '../lib/validation';
import { ErrorAlert } from './Alert';
import { Button } from './Button';
import { CopyButton } from './CopyButton';
import { TotpCodeField } from './CodeFields';
import { Loading } from './Loading';
import { RecoveryCodes } from './RecoveryCodes';

const FIELDS = ['code'] as const;

/**
 * Enrols (or re-enrols) an authenticator app: a new key as QR code and as text, confirmed
 * with its first code; then the recovery codes, shown once. `onDone` runs after the person
 * confirmed they kept the codes.
 */
export function TotpEnrolment({ email, onDone, autoStart }: { email: string; onDone: () => void; autoStart?: boolean }) {
  const { t } = useTranslation();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const begin = useAction();
  const confirm = useAction();
  const fields = useFieldErrors(FIELDS, () => 'totp-code');
  const started = useRef(false);

  const start = async () => {
    const en = await begin.run(() => call(api.POST('/api/v1/me/totp')));
    if (en) {
      setEnrolment(en);
      setCode('');
      setTimeout(() => document.getElementById('totp-scan-title')?.focus(), 0);
    }
  };

  useEffect(() => {
    if (autoStart && !started.current) {
      started.current = true;
      void start();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autoStart]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (fields.check({ code: codeError(code) })) return;
    const res = await confirm.run(() => call(api.POST('/api/v1/me/totp/confirm', { body: { code: normaliseCode(code) } })));
    if (res) {
      setCodes(res.recovery_codes ?? []);
      setTimeout(() => document.querySelector<HTMLElement>('.app-print-area h2')?.focus(), 0);
    } else {
      setCode('');
    }
  };

  if (codes) return <RecoveryCodes codes={codes} email={email} onContinue={onDone} />;

  if (!enrolment) {
    if (begin.busy || (autoStart && !begin.error)) return <Loading />;
    return (
      <div className="app-section">
        <ErrorAlert error={begin.error} />
        <Button icon="autorenew" onClick={start} busy={begin.busy}>
          {t('totp.start')}
        </Button>
      </div>
    );
  }

  return (
    <section className="app-section" aria-labelledby="totp-scan-title">
      <h2 id="totp-scan-title" className="kern-heading-medium" tabIndex={-1}>
        {t('totp.scanTitle')}
      </h2>
      <ol className="kern-list kern-list--number app-steps">
        <li>{t('totp.step1')}</li>
        <li>{t('totp.step2')}</li>
        <li>{t('totp.step3')}</li>
      </ol>
      <div className="app-totp">
        <img
          className="app-totp__qr"
          src={`data:image/png;base64,${enrolment.qr_code_png}`}
          alt={t('totp.qrAlt')}
          width={200}
          height={200}
        />
        <div className="app-totp__manual">
          <h3 className="kern-heading-small">{t('totp.manualTitle')}</h3>
          <p className="kern-body">{t('totp.manualText')}</p>
          <p className="app-secret">
            <code data-testid="totp-secret" data-secret={enrolment.secret}>
              {groupKey(enrolment.secret)}
            </code>
          </p>
          <CopyButton text={enrolment.secret} label={t('totp.copyKey')} />
        </div>
      </div>
      <ErrorAlert error={confirm.error} />
      <form className="app-form" onSubmit={submit} noValidate>
        <TotpCodeField
          id="totp-code"
          label={t('totp.code')}
          hint={t('totp.codeHint')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={fields.errors.code}
        />
        <div className="app-actions">
          <Button type="submit" busy={confirm.busy}>
            {t('totp.confirm')}
          </Button>
        </div>
      </form>
    </section>
  );
}
