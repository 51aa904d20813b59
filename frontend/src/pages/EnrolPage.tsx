import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { safeNext } from '../auth/gates';
import { tenantsOf, useMe, useSession } from '../auth/session';
import { Alert } from '../components/Alert';
import { Button } from '../components/Button';
import { PageHeading } from '../components/PageHeading';
import { TotpEnrolment } from '../components/TotpEnrolment';
import { PublicFrame } from '../frame/PublicFrame';

/** Forced enrolment: a tenant requires a second factor for the person's role. */
export function EnrolPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { refresh, logout } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next')) ?? '/';
  const [done, setDone] = useState(false);
  const requiring = tenantsOf(me).filter((x) => x.totp_required);

  if (me.totp_enabled && !done) return <Navigate to={next} replace />;

  const finish = async () => {
    setDone(true);
    await refresh();
    navigate(next, { replace: true });
  };
  const signOut = async () => {
    await logout().catch(() => undefined);
    navigate('/login', { replace: true });
  };

  return (
    <PublicFrame
      actions={
        <Button variant="tertiary" icon="logout" onClick={signOut}>
          {t('frame.signOut')}
        </Button>
      }
    >
      <PageHeading title={t('enrol.title')}>{t('enrol.title')}</PageHeading>
      <Alert variant="info" title={t('enrol.whyTitle')}>
        <p className="kern-body">
          {t('enrol.whyText', { tenants: requiring.map((x) => x.name).join(', ') || t('app.name') })}
        </p>
      </Alert>
      <TotpEnrolment email={me.email} onDone={finish} autoStart />
    </PublicFrame>
  );
}
