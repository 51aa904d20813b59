import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useParams } from 'react-router';
import { useTenant } from '../auth/gates';
import { Alert } from '../components/Alert';
import { PageHeading } from '../components/PageHeading';
import { DocsProvider } from '../documents/context';
import { mayOpenWorkspaces, workspacesBase } from '../workspaces/model';
import { ConsultationPage } from './ConsultationPage';
import '../workspaces/workspaces.css';
import './consultations.css';

function ConsultationRoute() {
  const { consultationId = '' } = useParams();
  return <ConsultationPage key={consultationId} consultationId={consultationId} />;
}

/**
 * A consultation's page at /t/{slug}/consultations/{id} (the links of the notifications
 * consultation.*): for the workspace's staff and for guests of an invited organisation.
 */
export default function ConsultationsModule() {
  const { t } = useTranslation();
  const tenant = useTenant();
  if (!mayOpenWorkspaces(tenant.role)) {
    return (
      <>
        <PageHeading title={t('consultations.title')}>{t('consultations.title')}</PageHeading>
        <Alert variant="info" title={t('workspaces.notForRole')} />
      </>
    );
  }
  return (
    <DocsProvider tenant={tenant}>
      <div className="app-consultations">
        <Routes>
          <Route path=":consultationId" element={<ConsultationRoute />} />
          <Route path="*" element={<Navigate to={workspacesBase(tenant.slug)} replace />} />
        </Routes>
      </div>
    </DocsProvider>
  );
}
