import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';
import { SelectField, TextAreaField, TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { useFieldErrors } from '../lib/useFieldErrors';
import { requiredError } from '../lib/validation';
import { KINDS, type Kind, type Organisation } from './model';

export type OrganisationBody = Schemas['OrganisationFields'];
const TEXT = ['name', 'street', 'postcode', 'city', 'country', 'email', 'phone', 'website', 'notes'] as const;
type TextKey = (typeof TEXT)[number];
const FIELDS = [...TEXT, 'kind'] as const;
type Draft = Record<TextKey, string> & { kind: Kind };

const empty: Draft = { name: '', kind: 'authority', street: '', postcode: '', city: '', country: '', email: '', phone: '', website: '', notes: '' };
const fieldId = (f: string) => `org-${f}`;

interface Props {
  open: boolean;
  /** The organisation to change; absent: a new one. */
  organisation?: Organisation;
  onClose: () => void;
  onSubmit: (body: OrganisationBody) => Promise<Organisation>;
  onDone?: (o: Organisation) => void;
  /** Takes a problem the dialog does not show itself (a 412 on the page); true if it did. */
  onServerError?: (err: unknown) => boolean;
}

/** Creates an organisation, or changes one (the page sends If-Match). */
export function OrganisationDialog({ open, organisation, onClose, onSubmit, onDone, onServerError }: Props) {
  const { t } = useTranslation();
  const [d, setD] = useState<Draft>(empty);
  const fields = useFieldErrors(FIELDS, fieldId);
  const set = (k: keyof Draft, v: string) => setD((x) => ({ ...x, [k]: v }));
  const text = (k: TextKey, max: number, opts: { required?: boolean; type?: string; autoComplete?: string; hint?: string } = {}) => (
    <TextField
      id={fieldId(k)}
      label={t(`addressbook.fields.${k}`)}
      hint={opts.hint}
      type={opts.type}
      autoComplete={opts.autoComplete ?? 'off'}
      optional={!opts.required}
      required={opts.required}
      autoFocus={k === 'name'}
      maxLength={max}
      value={d[k]}
      onChange={(e) => set(k, e.target.value)}
      error={fields.errors[k]}
    />
  );
  return (
    <FormDialog
      open={open}
      title={organisation ? t('addressbook.edit.title', { name: organisation.name }) : t('addressbook.create.title')}
      onClose={onClose}
      onOpen={() => setD(organisation ? { ...empty, ...pick(organisation) } : empty)}
      fields={fields}
      validate={() => ({ name: requiredError(d.name) })}
      onSubmit={() => onSubmit(Object.fromEntries(FIELDS.map((k) => [k, k === 'notes' ? d[k] : d[k].trim()])) as OrganisationBody)}
      onDone={onDone}
      onServerError={(err) => onServerError?.(err) || fields.fromServer(err)}
      submitLabel={organisation ? t('common.save') : t('addressbook.create.submit')}
    >
      {text('name', 300, { required: true })}
      <SelectField id={fieldId('kind')} label={t('addressbook.fields.kind')} value={d.kind} onChange={(e) => set('kind', e.target.value)} error={fields.errors.kind}>
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`addressbook.kind.${k}`)}
          </option>
        ))}
      </SelectField>
      {text('street', 300)}
      {text('postcode', 20)}
      {text('city', 200)}
      {text('country', 100)}
      {text('email', 320, { type: 'email' })}
      {text('phone', 50, { type: 'tel' })}
      {text('website', 2000, { type: 'url', hint: t('addressbook.fields.websiteHint') })}
      <TextAreaField id={fieldId('notes')} label={t('addressbook.fields.notes')} optional rows={3} maxLength={5000} value={d.notes} onChange={(e) => set('notes', e.target.value)} error={fields.errors.notes} />
    </FormDialog>
  );
}

function pick(o: Organisation): Draft {
  return { name: o.name, kind: o.kind, street: o.street, postcode: o.postcode, city: o.city, country: o.country, email: o.email, phone: o.phone, website: o.website, notes: o.notes };
}
