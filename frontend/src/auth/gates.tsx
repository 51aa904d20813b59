import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useOutletContext, useParams } from 'react-router';
import type { TenantRef } from '../api/client';
import { Alert } from '../components/Alert';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { PublicFrame } from '../frame/PublicFrame';
import { preferredTenant, rememberTenant, tenantBlock, tenantsOf, useMe, useSession } from './session';

/** A path inside the app to return to after signing in (never another origin). */
export function safeNext(next: string | null | undefined): string | undefined {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  if (next.startsWith('/login')) return undefined;
  return next;
}

/** Waiting for the session; says so when the server is unreachable (and retried). */
export function SessionLoading() {
  const { state } = useSession();
  const { t } = useTranslation();
  return (
    <PublicFrame>
      {state.status === 'loading' && state.unavailable ? (
        <Alert variant="warning" title={t('errors.codes.unavailable')} live="status">
          {t('common.unavailableRetry')}
        </Alert>
      ) : null}
      <Loading />
    </PublicFrame>
  );
}

/** Pages behind it need a complete session; others go to the sign-in. */
export function RequireSession() {
  const { state } = useSession();
  const loc = useLocation();
  if (state.status === 'loading') return <SessionLoading />;
  if (state.status !== 'signed-in') {
    const next = loc.pathname === '/' ? '' : `?next=${encodeURIComponent(loc.pathname + loc.search)}`;
    return <Navigate to={`/login${next}`} replace />;
  }
  return <Outlet />;
}

/** "/" opens the preferred tenant, or explains why none can be opened. */
export function HomeRedirect() {
  const me = useMe();
  const { t } = useTranslation();
  const tenant = preferredTenant(me);
  if (!tenant) {
    return (
      <>
        <PageHeading title={t('home.noTenantTitle')}>{t('home.noTenantTitle')}</PageHeading>
        <Alert variant="info" title={t('home.noTenantTitle')}>
          <p className="kern-body">{t('home.noTenantText')}</p>
        </Alert>
      </>
    );
  }
  return <Navigate to={`/t/${tenant.slug}`} replace />;
}

export interface TenantOutlet {
  tenant: TenantRef;
}

export function useTenant(): TenantRef {
  return useOutletContext<TenantOutlet>().tenant;
}

/** /t/:slug — only a usable membership enters; 2FA enrolment comes first when required. */
export function TenantGate() {
  const { slug } = useParams();
  const me = useMe();
  const { t } = useTranslation();
  const tenant = tenantsOf(me).find((x) => x.slug === slug);
  const block = tenant ? tenantBlock(me, tenant) : null;
  useEffect(() => {
    if (tenant && !block) rememberTenant(tenant.slug);
  }, [tenant, block]);
  if (!tenant) {
    return (
      <>
        <PageHeading title={t('notFound.title')}>{t('notFound.title')}</PageHeading>
        <p className="kern-body">{t('tenant.notMember')}</p>
      </>
    );
  }
  if (block === 'enrolment') return <Navigate to={`/enrol?next=${encodeURIComponent(`/t/${tenant.slug}`)}`} replace />;
  if (block === 'deactivated') {
    return (
      <>
        <PageHeading title={tenant.name}>{tenant.name}</PageHeading>
        <Alert variant="warning" title={t('tenant.deactivatedTitle')}>
          <p className="kern-body">{t('tenant.deactivatedText')}</p>
        </Alert>
      </>
    );
  }
  return <Outlet context={{ tenant } satisfies TenantOutlet} />;
}
