import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Checkbox, TextAreaField, TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { useFieldErrors } from '../lib/useFieldErrors';
import { requiredError } from '../lib/validation';

const FIELDS = ['title', 'description'] as const;

/**
 * Adds an item to the agenda (managers), or proposes one (members: the chair decides); with
 * `initial`, edits an item's wording and whether it is public (managers).
 */
export function ItemDialog({
  open,
  propose,
  initial,
  onClose,
  onSubmit,
}: {
  open: boolean;
  propose: boolean;
  initial?: { title: string; description: string; public: boolean };
  onClose: () => void;
  onSubmit: (body: { title: string; description: string; public: boolean }) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [isPublic, setPublic] = useState(true);
  const fields = useFieldErrors(FIELDS, (f) => `item-${f}`);

  const reset = () => {
    setTitle(initial?.title ?? '');
    setDescription(initial?.description ?? '');
    setPublic(initial?.public ?? true);
  };

  return (
    <FormDialog
      open={open}
      title={initial ? t('committees.agenda.editTitle') : propose ? t('committees.agenda.proposeTitle') : t('committees.agenda.addTitle')}
      onClose={onClose}
      onOpen={reset}
      fields={fields}
      validate={() => ({ title: requiredError(title) })}
      onSubmit={() => onSubmit({ title: title.trim(), description: description.trim(), public: isPublic })}
      submitLabel={initial ? t('committees.agenda.editSubmit') : propose ? t('committees.agenda.proposeSubmit') : t('committees.agenda.addSubmit')}
      intro={propose && <p className="kern-body">{t('committees.agenda.proposeLead')}</p>}
    >
      <TextField id="item-title" label={t('committees.agenda.itemTitle')} value={title} maxLength={500} onChange={(e) => setTitle(e.target.value)} error={fields.errors.title} required autoFocus />
      <TextAreaField id="item-description" label={t('committees.agenda.itemDescription')} optional rows={3} maxLength={10000} value={description} onChange={(e) => setDescription(e.target.value)} error={fields.errors.description} />
      <Checkbox id="item-public" label={t('committees.agenda.itemPublic')} hint={t('committees.agenda.itemPublicHint')} checked={isPublic} onChange={(e) => setPublic(e.target.checked)} />
    </FormDialog>
  );
}
