import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { useDocs } from '../documents/context';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { fileHref, type Consultation, type Statement, type StatementVersion } from './model';

/** One submitted version: who, when, how (online or by post), the answers, the text, the files. */
export function VersionView({ c, v }: { c: Pick<Consultation, 'id' | 'questions'>; v: StatementVersion }) {
  const { t, i18n } = useTranslation();
  const { slug } = useDocs();
  return (
    <div className="app-cons-version" data-testid="statement-version">
      <p className="kern-body kern-body--small">
        {t(v.channel === 'post' ? 'consultations.versions.byPost' : 'consultations.versions.online', {
          n: v.number,
          who: v.author_name,
          when: formatDateTime(v.channel === 'post' ? v.received_at : v.created_at, i18n.language),
        })}
      </p>
      <dl className="app-cons-answers">
        {c.questions.map((q, i) => (
          <div key={i}>
            <dt className="kern-body kern-body--bold app-pre">
              {i + 1}. {q}
            </dt>
            <dd className="kern-body app-pre">{v.answers[i] || t('consultations.statement.noAnswer')}</dd>
          </div>
        ))}
        {v.body && (
          <div>
            <dt className="kern-body kern-body--bold">{t('consultations.statement.body')}</dt>
            <dd className="kern-body app-pre">{v.body}</dd>
          </div>
        )}
      </dl>
      {v.files.length > 0 && (
        <ul className="kern-list">
          {v.files.map((f) => (
            <li key={f.revision_id}>
              <a className="kern-link" href={fileHref(slug, c.id, f.revision_id)} download={f.file_name}>
                {f.file_name}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A statement's latest version, and its earlier versions on request (newest first). */
export function StatementVersions({ c, statement }: { c: Consultation; statement: Statement }) {
  const { t } = useTranslation();
  const { slug } = useDocs();
  const [versions, setVersions] = useState<StatementVersion[] | null>(null);
  const load = useAction();
  const show = async () => {
    const r = await load.run(() =>
      call(api.GET('/api/v1/t/{tenant}/consultations/{id}/statements/{statement}/versions', { params: { path: { tenant: slug, id: c.id, statement: statement.id } } })),
    );
    if (r) setVersions(r.versions);
  };
  return (
    <>
      {statement.latest && <VersionView c={c} v={statement.latest} />}
      {statement.versions > 1 && !versions && (
        <Button variant="tertiary" small icon="visibility" busy={load.busy} onClick={() => void show()}>
          {t('consultations.versions.show', { count: statement.versions })}
        </Button>
      )}
      <ErrorAlert error={load.error} />
      {versions && (
        <section aria-label={t('consultations.versions.title', { name: statement.organisation_name })} className="app-cons-versions">
          <h4 className="kern-heading-small">{t('consultations.versions.title', { name: statement.organisation_name })}</h4>
          {versions.map((v) => (
            <VersionView key={v.number} c={c} v={v} />
          ))}
        </section>
      )}
    </>
  );
}
