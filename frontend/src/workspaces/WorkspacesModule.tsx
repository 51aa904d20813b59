import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useParams } from 'react-router';
import { useTenant } from '../auth/gates';
import { Alert } from '../components/Alert';
import { PageHeading } from '../components/PageHeading';
import { DocsProvider } from '../documents/context';
import { mayOpenWorkspaces, workspacesBase } from './model';
import { WorkspacePage } from './WorkspacePage';
import { WorkspacesPage } from './WorkspacesPage';
import './workspaces.css';

function WorkspaceRoute() {
  const { workspaceId = '' } = useParams();
  // Another workspace is another page: remount, so that its heading takes focus.
  return <WorkspacePage key={workspaceId} workspaceId={workspaceId} />;
}

/**
 * Workspaces (Arbeitsräume): the list (mine, the directory of open ones, for
 * administrators all) and a workspace's page with its details, members and folder
 * (loaded on demand as its own chunk). For staff and administrators, and for guests
 * (partners) the workspaces they were invited into.
 */
export default function WorkspacesModule() {
  const { t } = useTranslation();
  const tenant = useTenant();
  if (!mayOpenWorkspaces(tenant.role)) {
    return (
      <>
        <PageHeading title={t('workspaces.title')}>{t('workspaces.title')}</PageHeading>
        <Alert variant="info" title={t('workspaces.notForRole')} />
      </>
    );
  }
  return (
    <DocsProvider tenant={tenant}>
      <div className="app-workspaces">
        <Routes>
          <Route index element={<WorkspacesPage />} />
          <Route path=":workspaceId" element={<WorkspaceRoute />} />
          <Route path="*" element={<Navigate to={workspacesBase(tenant.slug)} replace />} />
        </Routes>
      </div>
    </DocsProvider>
  );
}
