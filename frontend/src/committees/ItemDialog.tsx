import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { Checkbox, TextAreaField, TextField } from '../components/Field';
import { useAction } from '../lib/useAction';
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
  const action = useAction();
  const fields = useFieldErrors(FIELDS, (f) => `item-${f}`);

  useEffect(() => {
    if (!open) return;
    setTitle(initial?.title ?? '');
    setDescription(initial?.description ?? '');
    setPublic(initial?.public ?? true);
    fields.clear();
    action.setError(null);
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (fields.check({ title: requiredError(title) })) return;
    const ok = await action.run(async () => {
      await onSubmit({ title: title.trim(), description: description.trim(), public: isPublic });
      return true;
    }, fields.fromServer);
    if (ok) onClose();
  };

  return (
    <Dialog open={open} title={initial ? t('committees.agenda.editTitle') : propose ? t('committees.agenda.proposeTitle') : t('committees.agenda.addTitle')} onClose={onClose}>
      <ErrorAlert error={action.error} />
      {propose && <p className="kern-body">{t('committees.agenda.proposeLead')}</p>}
      <form className="app-form" onSubmit={submit} noValidate>
        <TextField id="item-title" label={t('committees.agenda.itemTitle')} value={title} maxLength={500} onChange={(e) => setTitle(e.target.value)} error={fields.errors.title} required autoFocus />
        <TextAreaField id="item-description" label={t('committees.agenda.itemDescription')} optional rows={3} maxLength={10000} value={description} onChange={(e) => setDescription(e.target.value)} error={fields.errors.description} />
        <Checkbox id="item-public" label={t('committees.agenda.itemPublic')} hint={t('committees.agenda.itemPublicHint')} checked={isPublic} onChange={(e) => setPublic(e.target.checked)} />
        <div className="app-actions">
          <Button type="submit" busy={action.busy}>
            {initial ? t('committees.agenda.editSubmit') : propose ? t('committees.agenda.proposeSubmit') : t('committees.agenda.addSubmit')}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
