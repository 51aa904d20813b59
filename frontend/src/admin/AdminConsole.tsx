import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { api, call, type Schemas } from '../api/client';
import { useTenant } from '../auth/gates';
import { Alert, ErrorAlert } from '../components/Alert';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { useAction } from '../lib/useAction';
import { AuditPage } from './AuditPage';
import { GroupPage } from './GroupPage';
import { GroupsPage } from './GroupsPage';
import { InvitationsPage } from './InvitationsPage';
import { MembersPage } from './MembersPage';
import { OParlPage } from './OParlPage';
import { PolicyPage } from './PolicyPage';
import { StoragePage } from './StoragePage';
import { TokensPage } from './TokensPage';
import { WorkdaysPage } from './WorkdaysPage';

export type TenantInfo = Schemas['TenantInfoOutBody'];

const TABS = [
  { path: 'members', label: 'admin.tabs.members' },
  { path: 'groups', label: 'admin.tabs.groups' },
  { path: 'invitations', label: 'admin.tabs.invitations' },
  { path: 'policy', label: 'admin.tabs.policy' },
  { path: 'workdays', label: 'admin.tabs.workdays' },
  { path: 'storage', label: 'admin.tabs.storage' },
  { path: 'tokens', label: 'admin.tabs.tokens' },
  { path: 'oparl', label: 'admin.tabs.oparl' },
  { path: 'audit', label: 'admin.tabs.audit' },
] as const;

/** Areas of the tenant outside the console that its navigation leads to as well. */
const ELSEWHERE = [{ to: (slug: string) => `/t/${slug}/guests`, label: 'admin.tabs.guests' }] as const;

/** The tenant admin console (loaded on demand as its own chunk). */
export default function AdminConsole() {
  const { t } = useTranslation();
  const tenant = useTenant();
  const [info, setInfo] = useState<TenantInfo | null>(null);
  const load = useAction();

  useEffect(() => {
    if (tenant.role !== 'admin') return;
    void load.run(async () => setInfo(await call(api.GET('/api/v1/t/{tenant}', { params: { path: { tenant: tenant.slug } } }))));
  }, [tenant.slug, tenant.role]); // eslint-disable-line react-hooks/exhaustive-deps

  if (tenant.role !== 'admin') {
    return (
      <>
        <PageHeading title={t('admin.title')}>{t('admin.title')}</PageHeading>
        <Alert variant="warning" title={t('errors.codes.forbidden')}>
          <p className="kern-body">{t('admin.forbidden')}</p>
        </Alert>
      </>
    );
  }
  if (load.error) return <ErrorAlert error={load.error} />;
  if (!info) return <Loading />;

  return (
    <div className="app-admin">
      <nav className="app-tabs" aria-label={t('admin.navLabel')}>
        <ul className="app-tabs__list">
          {TABS.map((tab) => (
            <li key={tab.path}>
              <NavLink to={`/t/${tenant.slug}/admin/${tab.path}`} className={({ isActive }) => `app-tabs__link${isActive ? ' app-tabs__link--active' : ''}`}>
                {t(tab.label)}
              </NavLink>
            </li>
          ))}
          {ELSEWHERE.map((tab) => (
            <li key={tab.label}>
              <NavLink to={tab.to(tenant.slug)} className="app-tabs__link">
                {t(tab.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to="members" replace />} />
        <Route path="members" element={<MembersPage tenant={info} />} />
        <Route path="groups" element={<GroupsPage tenant={info} />} />
        <Route path="groups/:groupId" element={<GroupPage tenant={info} />} />
        <Route path="invitations" element={<InvitationsPage tenant={info} onSaved={(settings) => setInfo({ ...info, settings })} />} />
        <Route path="storage" element={<StoragePage tenant={info} />} />
        <Route path="policy" element={<PolicyPage tenant={info} onSaved={(settings) => setInfo({ ...info, settings })} />} />
        <Route path="workdays" element={<WorkdaysPage tenant={info} onSaved={(settings) => setInfo({ ...info, settings })} />} />
        <Route path="tokens" element={<TokensPage tenant={info} />} />
        <Route path="oparl" element={<OParlPage tenant={info} onSaved={(settings) => setInfo({ ...info, settings })} />} />
        <Route path="audit" element={<AuditPage tenant={info} />} />
        <Route path="*" element={<Navigate to="members" replace />} />
      </Routes>
    </div>
  );
}
