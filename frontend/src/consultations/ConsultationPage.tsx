import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { useDocs } from '../documents/context';
import { folderHref } from '../documents/parts';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { GuestStatement } from './GuestStatement';
import { fileHref, type Consultation, type Statement } from './model';
import { ConsultationCrumbs, StateBadge, When } from './parts';
import { StaffPanel } from './StaffPanel';

/**
 * One consultation (Beteiligungsverfahren; notifications consultation.* link here): its
 * subject, deadline, questions and frozen documents; for staff who has answered and what
 * they can do next, for a guest their organisation's statement.
 */
export function ConsultationPage({ consultationId }: { consultationId: string }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { slug } = useDocs();
  const location = useLocation();
  const navigate = useNavigate();
  const [c, setC] = useState<Consultation | null>(null);
  const [statements, setStatements] = useState<Statement[] | null>(null);
  const [notice, setNotice] = useState<ReactNode>((location.state as { notice?: string } | null)?.notice ?? '');
  const load = useAction();
  const path = { tenant: slug, id: consultationId };

  const reload = useCallback(async () => {
    const got = await load.run(async () => {
      const [one, sts] = await Promise.all([
        call(api.GET('/api/v1/t/{tenant}/consultations/{id}', { params: { path } })),
        call(api.GET('/api/v1/t/{tenant}/consultations/{id}/statements', { params: { path } })),
      ]);
      return { one, sts };
    });
    if (!got) return;
    setC(got.one);
    setStatements(got.sts.statements);
  }, [slug, consultationId]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  // The notice handed over by the page before is said once: a reload does not repeat it.
  useEffect(() => {
    if ((location.state as { notice?: string } | null)?.notice) navigate(location.pathname, { replace: true, state: null });
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  if (load.error && !c) {
    return (
      <>
        <ConsultationCrumbs slug={slug} current={t('consultations.unavailable')} />
        <PageHeading title={t('consultations.unavailable')}>{t('consultations.unavailable')}</PageHeading>
        <ErrorAlert error={load.error} />
      </>
    );
  }
  if (!c || !statements) return <Loading />;

  const guest = Boolean(c.my_organisation_id);
  const changed = async (text: ReactNode) => {
    setNotice(text);
    await reload();
  };

  return (
    <>
      <ConsultationCrumbs slug={slug} c={c} current={c.subject} />
      <PageHeading title={c.subject} sub={t('consultations.pageSub', { workspace: c.workspace_name })}>
        {c.subject}
      </PageHeading>
      {notice && (
        <Alert variant="success" title={typeof notice === 'string' ? notice : t('consultations.done')} live="status">
          {typeof notice === 'string' ? null : notice}
        </Alert>
      )}
      <ErrorAlert error={load.error} focus={false} />
      <section className="app-section" aria-labelledby="cons-details">
        <h2 id="cons-details" className="kern-heading-medium">
          {t('consultations.details')}
        </h2>
        <dl className="kern-description-list">
          <Item label={t('consultations.fields.state')}>
            <StateBadge c={c} />
          </Item>
          <Item label={t('consultations.fields.deadline')}>
            <When iso={c.deadline} />
          </Item>
          {c.opened_at && <Item label={t('consultations.fields.openedAt')}>{formatDateTime(c.opened_at, lng)}</Item>}
          {c.closed_at && <Item label={t('consultations.fields.closedAt')}>{formatDateTime(c.closed_at, lng)}</Item>}
          {!guest && c.remind_at && !c.reminded_at && <Item label={t('consultations.fields.remindAt')}>{formatDateTime(c.remind_at, lng)}</Item>}
          {!guest && c.reminded_at && <Item label={t('consultations.fields.remindedAt')}>{formatDateTime(c.reminded_at, lng)}</Item>}
          {c.description && (
            <Item label={t('consultations.fields.description')}>
              <span className="app-pre">{c.description}</span>
            </Item>
          )}
          {!guest && c.folder_id && (
            <Item label={t('consultations.fields.folder')}>
              <Link className="kern-link" to={folderHref(slug, c.folder_id)} data-testid="cons-folder">
                {t('consultations.folderLink')}
              </Link>
            </Item>
          )}
        </dl>
        <h3 className="kern-heading-small">{t('consultations.fields.questions')}</h3>
        {c.questions.length === 0 ? (
          <p className="kern-body">{t('consultations.noQuestions')}</p>
        ) : (
          <ol className="kern-list app-cons-qlist">
            {c.questions.map((q, i) => (
              <li key={i} className="kern-body app-pre">
                {q}
              </li>
            ))}
          </ol>
        )}
        <h3 className="kern-heading-small">{t('consultations.fields.documents')}</h3>
        {c.documents.length === 0 ? (
          <p className="kern-body">{t('consultations.noDocuments')}</p>
        ) : (
          <ul className="kern-list" data-testid="cons-documents">
            {c.documents.map((d) => (
              <li key={d.revision_id} className="kern-body">
                {d.available ? (
                  <a className="kern-link" href={fileHref(slug, c.id, d.revision_id)} download={d.file_name}>
                    {d.title}
                  </a>
                ) : (
                  d.title
                )}{' '}
                <span className="app-muted-line">{t('consultations.revision', { n: d.number })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {guest ? (
        <GuestStatement c={c} statement={statements[0] ?? null} onChanged={changed} />
      ) : (
        <StaffPanel c={c} statements={statements} onChanged={changed} onConsultation={setC} />
      )}
    </>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kern-description-list-item">
      <dt className="kern-description-list-item__key">{label}</dt>
      <dd className="kern-description-list-item__value">{children}</dd>
    </div>
  );
}
