import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { Button } from '../components/Button';
import { Checkbox, FieldError, TextAreaField, TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { useFieldErrors } from '../lib/useFieldErrors';
import { ORGANISATION_LIMIT } from '../workspaces/GuestInviteDialog';
import { consultationErrors, createConsultationBody, emptyConsultationDraft, MAX_QUESTIONS, type Consultation, type ConsultationDraft, type ConsultationField } from './model';

const FIELDS: readonly ConsultationField[] = ['subject', 'questions', 'deadline'];
const fieldId = (f: ConsultationField) => (f === 'deadline' ? 'cons-date' : f === 'questions' ? 'cons-q-0' : `cons-${f}`);
/** Documents of the workspace folder offered for attaching. */
export const DOCUMENT_LIMIT = 100;

interface Choice {
  id: string;
  name: string;
}

/**
 * "Neues Verfahren": subject, description, the questions (added and removed one by one),
 * the deadline (date and time), the invited organisations of the address book and the
 * documents of the workspace folder, which are frozen at their current revision.
 */
export function CreateConsultationDialog({
  open,
  slug,
  workspaceId,
  folderId,
  onClose,
  onDone,
}: {
  open: boolean;
  slug: string;
  workspaceId: string;
  folderId: string | undefined;
  onClose: () => void;
  onDone: (c: Consultation) => void;
}) {
  const { t } = useTranslation();
  const [d, setD] = useState<ConsultationDraft>(() => emptyConsultationDraft());
  const [orgs, setOrgs] = useState<{ list: Choice[]; more: boolean } | null>(null);
  const [docs, setDocs] = useState<{ list: Choice[]; more: boolean } | null>(null);
  const [failed, setFailed] = useState({ orgs: false, docs: false });
  const fields = useFieldErrors(FIELDS, fieldId);
  const set = (p: Partial<ConsultationDraft>) => setD((x) => ({ ...x, ...p }));
  const toggle = (key: 'organisations' | 'documents', id: string, on: boolean) =>
    setD((x) => ({ ...x, [key]: on ? [...x[key], id] : x[key].filter((y) => y !== id) }));

  const loadChoices = () => {
    setFailed({ orgs: false, docs: false });
    if (!orgs)
      call(api.GET('/api/v1/t/{tenant}/organisations', { params: { path: { tenant: slug }, query: { limit: ORGANISATION_LIMIT } } })).then(
        (r) => setOrgs({ list: r.organisations.map((o) => ({ id: o.id, name: o.name })), more: Boolean(r.next_cursor) }),
        () => setFailed((f) => ({ ...f, orgs: true })),
      );
    if (folderId)
      call(api.GET('/api/v1/t/{tenant}/folders/{id}/documents', { params: { path: { tenant: slug, id: folderId }, query: { limit: DOCUMENT_LIMIT } } })).then(
        (r) => setDocs({ list: r.documents.filter((x) => x.current_revision_id).map((x) => ({ id: x.id, name: x.title })), more: Boolean(r.next_cursor) }),
        () => setFailed((f) => ({ ...f, docs: true })),
      );
  };

  return (
    <FormDialog
      open={open}
      title={t('consultations.create.title')}
      onClose={onClose}
      onOpen={() => {
        setD(emptyConsultationDraft());
        loadChoices();
      }}
      fields={fields}
      validate={() => consultationErrors(d)}
      onSubmit={() => call(api.POST('/api/v1/t/{tenant}/workspaces/{id}/consultations', { params: { path: { tenant: slug, id: workspaceId } }, body: createConsultationBody(d) }))}
      onDone={onDone}
      submitLabel={t('consultations.create.submit')}
      intro={<p className="kern-body">{t('consultations.create.intro')}</p>}
    >
      <TextField id="cons-subject" label={t('consultations.fields.subject')} maxLength={200} value={d.subject} onChange={(e) => set({ subject: e.target.value })} error={fields.errors.subject} required />
      <TextAreaField id="cons-description" label={t('consultations.fields.description')} optional rows={3} maxLength={4000} value={d.description} onChange={(e) => set({ description: e.target.value })} />
      <fieldset className="kern-fieldset app-cons-fieldset">
        <legend className="kern-label">{t('consultations.fields.questions')}</legend>
        <div className="kern-hint">{t('consultations.create.questionsHint')}</div>
        <FieldError id="cons-questions" error={fields.errors.questions} />
        <ol className="app-cons-questions">
          {d.questions.map((q, i) => (
            <li key={i} className="app-cons-question">
              <TextAreaField
                id={`cons-q-${i}`}
                label={t('consultations.fields.question', { n: i + 1 })}
                rows={2}
                maxLength={2000}
                value={q}
                onChange={(e) => set({ questions: d.questions.map((x, j) => (j === i ? e.target.value : x)) })}
              />
              <Button variant="tertiary" small icon="delete" onClick={() => set({ questions: d.questions.filter((_, j) => j !== i) })}>
                {t('consultations.create.removeQuestion', { n: i + 1 })}
              </Button>
            </li>
          ))}
        </ol>
        <Button
          variant="secondary"
          small
          icon="add"
          disabled={d.questions.length >= MAX_QUESTIONS}
          aria-describedby={d.questions.length >= MAX_QUESTIONS ? 'cons-q-max' : undefined}
          onClick={() => {
            set({ questions: [...d.questions, ''] });
            const n = d.questions.length;
            setTimeout(() => document.getElementById(`cons-q-${n}`)?.focus(), 0);
          }}
        >
          {t('consultations.create.addQuestion')}
        </Button>
        {d.questions.length >= MAX_QUESTIONS && (
          <p id="cons-q-max" className="kern-body kern-body--small">
            {t('consultations.create.questionsMax', { count: MAX_QUESTIONS })}
          </p>
        )}
      </fieldset>
      <fieldset className="kern-fieldset app-cons-fieldset">
        <legend className="kern-label">{t('consultations.fields.deadline')}</legend>
        <FieldError id="cons-deadline" error={fields.errors.deadline} />
        <div className="app-cons-datetime">
          <TextField id="cons-date" type="date" label={t('consultations.fields.date')} value={d.date} onChange={(e) => set({ date: e.target.value })} aria-describedby={fields.errors.deadline ? 'cons-deadline-error' : undefined} required />
          <TextField id="cons-time" type="time" label={t('consultations.fields.time')} value={d.time} onChange={(e) => set({ time: e.target.value })} required />
        </div>
      </fieldset>
      <fieldset className="kern-fieldset app-cons-fieldset" data-testid="cons-organisations">
        <legend className="kern-label">{t('consultations.fields.organisations')}</legend>
        <div className="kern-hint">
          {failed.orgs ? t('consultations.create.organisationsFailed') : orgs?.more ? t('consultations.create.organisationsMore', { count: ORGANISATION_LIMIT }) : t('consultations.create.organisationsHint')}
        </div>
        {orgs && orgs.list.length === 0 && <p className="kern-body">{t('consultations.create.noOrganisations')}</p>}
        {(orgs?.list ?? []).map((o) => (
          <Checkbox key={o.id} id={`cons-org-${o.id}`} label={o.name} checked={d.organisations.includes(o.id)} onChange={(e) => toggle('organisations', o.id, e.target.checked)} />
        ))}
      </fieldset>
      <fieldset className="kern-fieldset app-cons-fieldset" data-testid="cons-documents">
        <legend className="kern-label">{t('consultations.fields.documents')}</legend>
        <div className="kern-hint">
          {!folderId ? t('consultations.create.noFolder') : failed.docs ? t('consultations.create.documentsFailed') : docs?.more ? t('consultations.create.documentsMore', { count: DOCUMENT_LIMIT }) : t('consultations.create.documentsHint')}
        </div>
        {docs && docs.list.length === 0 && <p className="kern-body">{t('consultations.create.noDocuments')}</p>}
        {(docs?.list ?? []).map((x) => (
          <Checkbox key={x.id} id={`cons-doc-${x.id}`} label={x.name} checked={d.documents.includes(x.id)} onChange={(e) => toggle('documents', x.id, e.target.checked)} />
        ))}
      </fieldset>
    </FormDialog>
  );
}
