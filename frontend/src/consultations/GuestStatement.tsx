import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { TextAreaField } from '../components/Field';
import { useDocs } from '../documents/context';
import { uploadURL } from '../documents/model';
import { sendFile } from '../documents/upload';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { PermitButton, Reasons } from '../workspaces/parts';
import { answersFor, fileHref, guestPermit, type Consultation, type Statement } from './model';
import { StatementVersions } from './StatementVersions';

interface Draft {
  answers: string[];
  body: string;
  files: { document_id: string; file_name: string; revision_id?: string }[];
}

function draftOf(c: Consultation, s: Statement | null): Draft {
  const from = s?.draft ?? s?.latest;
  return {
    answers: answersFor(c.questions, from?.answers),
    body: from?.body ?? '',
    files: (from?.files ?? []).map((f) => ({ document_id: f.document_id, file_name: f.file_name, revision_id: f.revision_id })),
  };
}

/**
 * A guest's statement for their organisation: one answer field per question, a general
 * text and files (uploaded into the consultation's folder); saved as a draft, submitted
 * after a confirmation. A submitted statement is read-only; while statements are taken it
 * can be revised and submitted again as the next version. After the deadline or once
 * closed nothing can be changed, and the buttons say why.
 */
export function GuestStatement({ c, statement, onChanged }: { c: Consultation; statement: Statement | null; onChanged: (notice: ReactNode) => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { slug } = useDocs();
  const may = guestPermit(c);
  const submitted = Boolean(statement?.latest);
  const [editing, setEditing] = useState(!submitted || Boolean(statement?.draft));
  const [d, setD] = useState<Draft>(() => draftOf(c, statement));
  const [confirm, setConfirm] = useState(false);
  const [uploading, setUploading] = useState('');
  const save = useAction();
  const upload = useAction();
  const fileInput = useRef<HTMLInputElement>(null);
  const path = { tenant: slug, id: c.id };
  const writable = editing && may.ok;
  const org = c.invitees[0]?.name ?? '';

  const put = () =>
    call(api.PUT('/api/v1/t/{tenant}/consultations/{id}/statements', { params: { path }, body: { answers: d.answers, body: d.body, files: d.files.map((f) => f.document_id) } }));

  const saveDraft = async () => {
    const s = await save.run(put);
    if (s) await onChanged(t('consultations.statement.saved', { when: formatDateTime(s.updated_at, lng) }));
  };

  const addFiles = async (files: FileList | null) => {
    if (!files || !c.folder_id) return;
    const folder = c.folder_id;
    for (const file of Array.from(files).slice(0, 10)) {
      setUploading(file.name);
      const r = await upload.run(() => sendFile({ method: 'POST', url: uploadURL(slug, folder, file.name), file }).promise);
      if (!r) break;
      setD((x) => ({ ...x, files: [...x.files, { document_id: r.document.id, file_name: file.name }] }));
    }
    setUploading('');
    if (fileInput.current) fileInput.current.value = '';
  };

  return (
    <section className="app-section" aria-labelledby="cons-mine">
      <h2 id="cons-mine" className="kern-heading-medium">
        {t('consultations.statement.title', { name: org })}
      </h2>
      {submitted && statement?.submitted_at && (
        <Alert variant="info" title={t('consultations.statement.submittedAt', { when: formatDateTime(statement.submitted_at, lng) })}>
          <p className="kern-body" data-testid="revise-hint">
            {may.ok ? t('consultations.statement.revisable', { deadline: formatDateTime(c.deadline, lng) }) : t('consultations.statement.final')}
          </p>
        </Alert>
      )}
      <ErrorAlert error={save.error} />
      {!writable && submitted && statement && <StatementVersions c={c} statement={statement} />}
      {!writable && !submitted && (
        <p className="kern-body" data-testid="no-statement">
          {t('consultations.statement.noneSubmitted')}
        </p>
      )}
      {!writable && (
        <div className="app-actions">
          <PermitButton permit={may} place="statement" icon="edit" onClick={() => setEditing(true)}>
            {t(submitted ? 'consultations.statement.revise' : 'consultations.statement.write')}
          </PermitButton>
        </div>
      )}
      {writable && (
        <form
          className="app-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void saveDraft();
          }}
        >
          {c.questions.map((q, i) => (
            <TextAreaField
              key={i}
              id={`answer-${i}`}
              label={t('consultations.statement.answerTo', { n: i + 1, question: q })}
              rows={4}
              maxLength={20000}
              value={d.answers[i]}
              onChange={(e) => setD((x) => ({ ...x, answers: x.answers.map((a, j) => (j === i ? e.target.value : a)) }))}
            />
          ))}
          <TextAreaField id="answer-body" label={t('consultations.statement.body')} optional rows={6} maxLength={50000} value={d.body} onChange={(e) => setD((x) => ({ ...x, body: e.target.value }))} />
          <fieldset className="kern-fieldset app-cons-fieldset">
            <legend className="kern-label">{t('consultations.statement.files')}</legend>
            <div className="kern-hint" id="answer-files-hint">
              {t('consultations.statement.filesHint')}
            </div>
            {d.files.length > 0 && (
              <ul className="app-cons-files" data-testid="statement-files">
                {d.files.map((f) => (
                  <li key={f.document_id} className="kern-body">
                    {f.revision_id ? (
                      <a className="kern-link" href={fileHref(slug, c.id, f.revision_id)} download={f.file_name}>
                        {f.file_name}
                      </a>
                    ) : (
                      <span>{f.file_name}</span>
                    )}
                    <Button variant="tertiary" small icon="delete" onClick={() => setD((x) => ({ ...x, files: x.files.filter((y) => y.document_id !== f.document_id) }))}>
                      {t('consultations.statement.removeFile')}
                      <span className="app-sr-only">: {f.file_name}</span>
                    </Button>
                  </li>
                ))}
              </ul>
            )}
            <div className="kern-form-input">
              <label className="kern-label" htmlFor="answer-file">
                {t('consultations.statement.addFile')}
              </label>
              <input
                ref={fileInput}
                id="answer-file"
                type="file"
                multiple
                className="kern-form-input__input"
                aria-describedby="answer-files-hint"
                disabled={upload.busy}
                onChange={(e) => void addFiles(e.target.files)}
              />
            </div>
            {uploading && (
              <p className="kern-body" role="status">
                {t('consultations.statement.uploading', { name: uploading })}
              </p>
            )}
            <ErrorAlert error={upload.error} />
          </fieldset>
          <div className="app-actions">
            <Button type="submit" variant="secondary" icon="check" busy={save.busy} disabled={upload.busy}>
              {t('consultations.statement.save')}
            </Button>
            <Button icon="arrow-forward" disabled={upload.busy} onClick={() => setConfirm(true)}>
              {t('consultations.statement.submit')}
            </Button>
          </div>
        </form>
      )}
      <Reasons place="statement" permits={[may]} />
      {submitted && statement && writable && (
        <details className="app-cons-previous">
          <summary className="kern-body">{t('consultations.statement.previous')}</summary>
          <StatementVersions c={c} statement={statement} />
        </details>
      )}
      <ConfirmDialog
        open={confirm}
        title={t('consultations.statement.confirmTitle')}
        confirmLabel={t('consultations.statement.submit')}
        onClose={() => setConfirm(false)}
        onConfirm={async () => {
          await put();
          const s = await call(api.POST('/api/v1/t/{tenant}/consultations/{id}/statements/submit', { params: { path } }));
          setEditing(false);
          await onChanged(t('consultations.statement.submitted', { n: s.versions }));
        }}
      >
        <p className="kern-body">{t(may.ok ? 'consultations.statement.confirmText' : 'consultations.statement.final', { deadline: formatDateTime(c.deadline, lng) })}</p>
      </ConfirmDialog>
    </section>
  );
}
