import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Cell, Row, RowHeader, Table } from '../components/Table';
import { useDocs } from '../documents/context';
import { etag } from '../documents/model';
import { documentHref } from '../documents/parts';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { PermitButton, Reasons } from '../workspaces/parts';
import { ExtendDialog } from './ExtendDialog';
import { answered, staffPermits, type Consultation, type Statement } from './model';
import { PostalDialog } from './PostalDialog';
import { StatementVersions } from './StatementVersions';

type Pending = 'open' | 'close' | 'extend' | 'postal' | null;

/**
 * The staff's view of a consultation: who has answered (one row per invited
 * organisation), the submitted statements with their versions, and the next steps —
 * open, remind those who have not answered, extend the deadline, close, file the
 * synopsis, take the statements into the case file, record a statement received by post.
 */
export function StaffPanel({
  c,
  statements,
  onChanged,
  onConsultation,
}: {
  c: Consultation;
  statements: Statement[];
  onChanged: (notice: ReactNode) => Promise<void>;
  onConsultation: (c: Consultation) => void;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { slug } = useDocs();
  const [pending, setPending] = useState<Pending>(null);
  const act = useAction();
  const may = staffPermits(c);
  const path = { tenant: slug, id: c.id };
  const counts = answered(c);
  const byOrg = new Map(statements.map((s) => [s.organisation_id, s]));

  const remind = async () => {
    const r = await act.run(() => call(api.POST('/api/v1/t/{tenant}/consultations/{id}/remind', { params: { path } })));
    if (r) await onChanged(t('consultations.remind.done', { count: r.organisations, people: r.people }));
  };
  const synopsis = async () => {
    const r = await act.run(() => call(api.POST('/api/v1/t/{tenant}/consultations/{id}/synopsis', { params: { path } })));
    if (!r) return;
    await onChanged(
      <>
        <p className="kern-body">{t('consultations.synopsis.done')}</p>
        <ul className="kern-list" data-testid="synopsis-links">
          <li>
            <Link className="kern-link" to={documentHref(slug, r.pdf_document_id)}>
              {t('consultations.synopsis.pdf')}
            </Link>
          </li>
          <li>
            <Link className="kern-link" to={documentHref(slug, r.odt_document_id)}>
              {t('consultations.synopsis.odt')}
            </Link>
          </li>
        </ul>
      </>,
    );
  };
  const importAll = async () => {
    const r = await act.run(() => call(api.POST('/api/v1/t/{tenant}/consultations/{id}/import', { params: { path } })));
    if (!r) return;
    await onChanged(
      <>
        <p className="kern-body">{t('consultations.import.done', { count: r.statements })}</p>
        {r.documents.length > 0 && (
          <ul className="kern-list" data-testid="import-links">
            {r.documents.map((id, i) => (
              <li key={id}>
                <Link className="kern-link" to={documentHref(slug, id)}>
                  {t('consultations.import.document', { n: i + 1 })}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </>,
    );
  };

  return (
    <>
      <section className="app-section" aria-labelledby="cons-answers">
        <h2 id="cons-answers" className="kern-heading-medium">
          {t('consultations.answers.title')}
        </h2>
        <p className="kern-body" data-testid="cons-answered">
          {t('consultations.answers.count', { answered: counts.answered, count: counts.invited })}
        </p>
        <Table
          labelledBy="cons-answers"
          columns={[t('consultations.answers.organisation'), t('consultations.answers.state'), t('consultations.answers.submittedAt'), t('consultations.answers.versions'), t('consultations.answers.reminded')]}
          empty={<p className="kern-body">{t('consultations.answers.none')}</p>}
        >
          {c.invitees.map((i) => (
            <Row key={i.organisation_id} data-testid="invitee-row">
              <RowHeader>{i.name}</RowHeader>
              <Cell>
                {i.versions > 0 ? <Badge variant="success">{t('consultations.answers.answered')}</Badge> : <Badge variant="info">{t('consultations.answers.open')}</Badge>}
                {byOrg.get(i.organisation_id)?.latest?.channel === 'post' && <span className="app-muted-line">{t('consultations.answers.byPost')}</span>}
              </Cell>
              <Cell>{i.submitted_at ? formatDateTime(i.submitted_at, lng) : t('consultations.answers.notYet')}</Cell>
              <Cell>{i.versions}</Cell>
              <Cell>{i.reminded_at ? formatDateTime(i.reminded_at, lng) : t('consultations.answers.notReminded')}</Cell>
            </Row>
          ))}
        </Table>
        <ErrorAlert error={act.error} />
        <div className="app-actions">
          {c.state === 'draft' && (
            <PermitButton permit={may.open} place="cons" icon="arrow-forward" onClick={() => setPending('open')}>
              {t('consultations.open.button')}
            </PermitButton>
          )}
          <PermitButton permit={may.remind} place="cons" variant="secondary" icon="mail" busy={act.busy} onClick={() => void remind()}>
            {t('consultations.remind.button')}
          </PermitButton>
          <PermitButton permit={may.extend} place="cons" variant="secondary" icon="calendar-today" onClick={() => setPending('extend')}>
            {t(c.state === 'draft' ? 'consultations.extend.buttonDraft' : 'consultations.extend.button')}
          </PermitButton>
          <PermitButton permit={may.postal} place="cons" variant="secondary" icon="edit" onClick={() => setPending('postal')}>
            {t('consultations.postal.button')}
          </PermitButton>
          <PermitButton permit={may.close} place="cons" variant="secondary" icon="close" onClick={() => setPending('close')}>
            {t('consultations.close.button')}
          </PermitButton>
          <PermitButton permit={may.synopsis} place="cons" variant="secondary" icon="draft" busy={act.busy} onClick={() => void synopsis()}>
            {t('consultations.synopsis.button')}
          </PermitButton>
          <PermitButton permit={may.import} place="cons" variant="secondary" icon="download" busy={act.busy} onClick={() => void importAll()}>
            {t('consultations.import.button')}
          </PermitButton>
        </div>
        <Reasons place="cons" permits={[...(c.state === 'draft' ? [may.open] : []), may.remind, may.extend, may.postal, may.close, may.synopsis, may.import]} />
        {(c.synopsis_pdf_id || c.synopsis_odt_id) && (
          <p className="kern-body" data-testid="synopsis-filed">
            {t('consultations.synopsis.filed')}{' '}
            {c.synopsis_pdf_id && (
              <Link className="kern-link" to={documentHref(slug, c.synopsis_pdf_id)}>
                {t('consultations.synopsis.pdf')}
              </Link>
            )}
            {c.synopsis_pdf_id && c.synopsis_odt_id && ' · '}
            {c.synopsis_odt_id && (
              <Link className="kern-link" to={documentHref(slug, c.synopsis_odt_id)}>
                {t('consultations.synopsis.odt')}
              </Link>
            )}
          </p>
        )}
      </section>
      <section className="app-section" aria-labelledby="cons-statements">
        <h2 id="cons-statements" className="kern-heading-medium">
          {t('consultations.statements.title')}
        </h2>
        {statements.filter((s) => s.latest).length === 0 ? (
          <p className="kern-body">{t('consultations.statements.none')}</p>
        ) : (
          statements
            .filter((s) => s.latest)
            .map((s) => (
              <article key={s.id} className="app-cons-statement" aria-labelledby={`st-${s.id}`} data-testid="statement">
                <h3 id={`st-${s.id}`} className="kern-heading-small">
                  {s.organisation_name}
                </h3>
                {s.imported_document_id && (
                  <p className="kern-body">
                    <Link className="kern-link" to={documentHref(slug, s.imported_document_id)}>
                      {t('consultations.statements.imported')}
                    </Link>
                  </p>
                )}
                <StatementVersions c={c} statement={s} />
              </article>
            ))
        )}
      </section>
      <ConfirmDialog
        open={pending === 'open'}
        title={t('consultations.open.title', { subject: c.subject })}
        confirmLabel={t('consultations.open.button')}
        onClose={() => setPending(null)}
        onConfirm={async () => {
          onConsultation(await call(api.POST('/api/v1/t/{tenant}/consultations/{id}/open', { params: { path } })));
          await onChanged(t('consultations.open.done'));
        }}
      >
        <p className="kern-body">{t('consultations.open.text', { count: counts.invited, deadline: formatDateTime(c.deadline, lng) })}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={pending === 'close'}
        title={t('consultations.close.title', { subject: c.subject })}
        confirmLabel={t('consultations.close.button')}
        onClose={() => setPending(null)}
        onConfirm={async () => {
          onConsultation(await call(api.POST('/api/v1/t/{tenant}/consultations/{id}/close', { params: { path } })));
          await onChanged(t('consultations.close.done'));
        }}
      >
        <p className="kern-body">{t('consultations.close.text')}</p>
      </ConfirmDialog>
      <ExtendDialog
        open={pending === 'extend'}
        c={c}
        onClose={() => setPending(null)}
        onSubmit={(deadline) =>
          call(api.PATCH('/api/v1/t/{tenant}/consultations/{id}', { params: { path, header: { 'If-Match': etag(c.version) } }, body: { deadline } }))
        }
        onDone={async (next) => {
          onConsultation(next);
          await onChanged(t('consultations.extend.done', { deadline: formatDateTime(next.deadline, lng) }));
        }}
      />
      <PostalDialog
        open={pending === 'postal'}
        c={c}
        onClose={() => setPending(null)}
        onSubmit={(body) => call(api.POST('/api/v1/t/{tenant}/consultations/{id}/statements/postal', { params: { path }, body }))}
        onDone={async (s) => onChanged(t('consultations.postal.done', { name: s.organisation_name }))}
      />
    </>
  );
}
