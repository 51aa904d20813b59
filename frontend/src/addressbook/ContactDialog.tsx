import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';
import { TextAreaField, TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { useFieldErrors } from '../lib/useFieldErrors';
import type { Contact } from './model';

export type ContactBody = Omit<Schemas['CreateContactInBody'], 'organisation_id' | '$schema'>;
const FIELDS = ['salutation', 'title', 'given_name', 'family_name', 'function', 'email', 'phone', 'notes'] as const;
type Key = (typeof FIELDS)[number];
type Draft = Record<Key, string>;
const empty: Draft = { salutation: '', title: '', given_name: '', family_name: '', function: '', email: '', phone: '', notes: '' };
const fieldId = (f: string) => `contact-${f}`;

interface Props {
  open: boolean;
  contact?: Contact;
  organisationName: string;
  onClose: () => void;
  onSubmit: (body: ContactBody) => Promise<Contact>;
  onDone?: (c: Contact) => void;
  onServerError?: (err: unknown) => boolean;
}

/** Adds a contact person to an organisation, or changes one (If-Match). */
export function ContactDialog({ open, contact, organisationName, onClose, onSubmit, onDone, onServerError }: Props) {
  const { t } = useTranslation();
  const [d, setD] = useState<Draft>(empty);
  const fields = useFieldErrors(FIELDS, fieldId);
  const field = (k: Key, max: number, opts: { type?: string; autoFocus?: boolean; hint?: string } = {}) => (
    <TextField
      id={fieldId(k)}
      label={t(`addressbook.contact.fields.${k}`)}
      hint={opts.hint}
      type={opts.type}
      optional
      autoComplete="off"
      autoFocus={opts.autoFocus}
      maxLength={max}
      value={d[k]}
      onChange={(e) => setD((x) => ({ ...x, [k]: e.target.value }))}
      error={fields.errors[k]}
    />
  );
  return (
    <FormDialog
      open={open}
      title={contact ? t('addressbook.contact.editTitle', { name: contact.display_name }) : t('addressbook.contact.addTitle', { name: organisationName })}
      onClose={onClose}
      onOpen={() => setD(contact ? (Object.fromEntries(FIELDS.map((k) => [k, contact[k]])) as Draft) : empty)}
      fields={fields}
      validate={() => (d.given_name.trim() || d.family_name.trim() ? {} : { family_name: 'addressbook.contact.nameRequired' })}
      onSubmit={() => onSubmit(Object.fromEntries(FIELDS.map((k) => [k, k === 'notes' ? d[k] : d[k].trim()])) as ContactBody)}
      onDone={onDone}
      onServerError={(err) => onServerError?.(err) || fields.fromServer(err)}
      submitLabel={contact ? t('common.save') : t('addressbook.contact.addSubmit')}
      intro={<p className="kern-hint">{t('addressbook.contact.nameHint')}</p>}
    >
      {field('salutation', 50, { autoFocus: true, hint: t('addressbook.contact.fields.salutationHint') })}
      {field('title', 100)}
      {field('given_name', 200)}
      {field('family_name', 200)}
      {field('function', 200)}
      {field('email', 320, { type: 'email' })}
      {field('phone', 50, { type: 'tel' })}
      <TextAreaField id={fieldId('notes')} label={t('addressbook.contact.fields.notes')} optional rows={3} maxLength={5000} value={d.notes} onChange={(e) => setD((x) => ({ ...x, notes: e.target.value }))} error={fields.errors.notes} />
    </FormDialog>
  );
}
