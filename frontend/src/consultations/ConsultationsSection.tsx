import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { Loading } from '../components/Loading';
import { Cell, Row, RowHeader, Table } from '../components/Table';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import type { Permit } from '../workspaces/model';
import { PermitButton, Reasons } from '../workspaces/parts';
import { CreateConsultationDialog } from './CreateConsultationDialog';
import { consultationHref, type Consultation } from './model';
import { StateBadge } from './parts';
import './consultations.css';

/**
 * The workspace's consultations (Beteiligungsverfahren): subject, state and deadline,
 * latest deadline first; "Neues Verfahren" for the workspace's staff owners and members.
 */
export function ConsultationsSection({
  slug,
  workspaceId,
  folderId,
  create,
}: {
  slug: string;
  workspaceId: string;
  folderId: string | undefined;
  /** Whether the caller may start one (staff owners and members of an active workspace), else why not; null: not offered (guests). */
  create: Permit | null;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const navigate = useNavigate();
  const [list, setList] = useState<Consultation[] | null>(null);
  const [creating, setCreating] = useState(false);
  const load = useAction();

  const reload = useCallback(async () => {
    const r = await load.run(() => call(api.GET('/api/v1/t/{tenant}/workspaces/{id}/consultations', { params: { path: { tenant: slug, id: workspaceId } } })));
    if (r) setList(r.consultations);
  }, [slug, workspaceId]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <section className="app-section" aria-labelledby="ws-consultations">
      <h2 id="ws-consultations" className="kern-heading-medium">
        {t('consultations.title')}
      </h2>
      <ErrorAlert error={load.error} focus={false} />
      {!list && !load.error && <Loading />}
      {list && (
        <Table
          labelledBy="ws-consultations"
          columns={[t('consultations.fields.subject'), t('consultations.fields.state'), t('consultations.fields.deadline')]}
          empty={<p className="kern-body">{t('consultations.none')}</p>}
        >
          {list.map((c) => (
            <Row key={c.id} data-testid="consultation-row">
              <RowHeader>
                <Link className="kern-link" to={consultationHref(slug, c.id)}>
                  {c.subject}
                </Link>
              </RowHeader>
              <Cell>
                <StateBadge c={c} />
              </Cell>
              <Cell>{formatDateTime(c.deadline, lng)}</Cell>
            </Row>
          ))}
        </Table>
      )}
      {create && (
        <>
          <div className="app-actions">
            <PermitButton permit={create} place="consultations" icon="add" onClick={() => setCreating(true)}>
              {t('consultations.create.button')}
            </PermitButton>
          </div>
          <Reasons place="consultations" permits={[create]} />
          <CreateConsultationDialog
            open={creating}
            slug={slug}
            workspaceId={workspaceId}
            folderId={folderId}
            onClose={() => setCreating(false)}
            onDone={(c) => navigate(consultationHref(slug, c.id), { state: { notice: t('consultations.create.done', { subject: c.subject }) } })}
          />
        </>
      )}
    </section>
  );
}
