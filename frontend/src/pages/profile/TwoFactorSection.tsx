import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import { useMe, useSession } from '../../auth/session';
import { Alert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { RecoveryCodes } from '../../components/RecoveryCodes';
import { TotpEnrolment } from '../../components/TotpEnrolment';

type Mode = { kind: 'view' } | { kind: 'enrol' } | { kind: 'codes'; codes: string[] } | { kind: 'done'; message: string };

export function TwoFactorSection() {
  const { t } = useTranslation();
  const me = useMe();
  const { refresh } = useSession();
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [confirmCodes, setConfirmCodes] = useState(false);

  const finish = async (message: string) => {
    await refresh().catch(() => undefined);
    setMode({ kind: 'done', message });
    setTimeout(() => document.getElementById('profile-two-factor')?.focus(), 0);
  };

  const regenerate = async () => {
    const res = await call(api.POST('/api/v1/me/recovery-codes'));
    setMode({ kind: 'codes', codes: res.recovery_codes ?? [] });
    setTimeout(() => document.querySelector<HTMLElement>('.app-print-area h2')?.focus(), 0);
  };

  return (
    <section className="app-section" aria-labelledby="profile-two-factor" id="two-factor">
      <h2 id="profile-two-factor" className="kern-heading-medium" tabIndex={-1}>
        {t('profile.twoFactor.title')}
      </h2>
      {mode.kind === 'done' && <Alert variant="success" title={mode.message} live="status" />}
      {mode.kind === 'enrol' && <TotpEnrolment email={me.email} onDone={() => finish(t('profile.twoFactor.enrolled'))} autoStart />}
      {mode.kind === 'codes' && (
        <RecoveryCodes codes={mode.codes} email={me.email} onContinue={() => finish(t('profile.twoFactor.codesReplaced'))} continueLabel={t('common.done')} />
      )}
      {(mode.kind === 'view' || mode.kind === 'done') && (
        <>
          <p className="kern-body app-status-line">
            {t('profile.twoFactor.status')}{' '}
            {me.totp_enabled ? <Badge variant="success">{t('profile.twoFactor.on')}</Badge> : <Badge variant="warning">{t('profile.twoFactor.off')}</Badge>}
          </p>
          {me.totp_enabled && <p className="kern-body">{t('profile.twoFactor.codesLeft', { count: me.recovery_codes_left })}</p>}
          <div className="app-actions">
            <Button variant={me.totp_enabled ? 'secondary' : 'primary'} icon="autorenew" onClick={() => setMode({ kind: 'enrol' })}>
              {me.totp_enabled ? t('profile.twoFactor.reenrol') : t('profile.twoFactor.enrol')}
            </Button>
            {me.totp_enabled && (
              <Button variant="secondary" onClick={() => setConfirmCodes(true)}>
                {t('profile.twoFactor.newCodes')}
              </Button>
            )}
          </div>
        </>
      )}
      <ConfirmDialog
        open={confirmCodes}
        title={t('profile.twoFactor.newCodesTitle')}
        confirmLabel={t('profile.twoFactor.newCodesConfirm')}
        onConfirm={regenerate}
        onClose={() => setConfirmCodes(false)}
      >
        <p className="kern-body">{t('profile.twoFactor.newCodesText')}</p>
      </ConfirmDialog>
    </section>
  );
}
