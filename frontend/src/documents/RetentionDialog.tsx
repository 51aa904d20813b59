import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { useAction } from '../lib/useAction';
import { useFieldErrors } from '../lib/useFieldErrors';
import { useDocs } from './context';
import type { FolderView } from './model';
import { daysError, MAX_RETENTION_DAYS, retentionInForce, type RetentionView } from './retention';

const FIELDS = ['retention_days'] as const;

/**
 * How long documents deleted from a folder stay in the trash before anyone may delete them
 * for good: what applies and where it comes from, for everyone who can read the folder;
 * set (own number of days, or inherit from above) by the tenant's administrators only.
 */
export function RetentionDialog({ open, folder, onClose, onSaved }: { open: boolean; folder: FolderView; onClose: () => void; onSaved: (f: FolderView) => void }) {
  const { t } = useTranslation();
  const { slug } = useDocs();
  const [r, setR] = useState<RetentionView | null>(null);
  const [mode, setMode] = useState<'inherit' | 'own'>('inherit');
  const [days, setDays] = useState('');
  const [message, setMessage] = useState('');
  const load = useAction();
  const save = useAction();
  const fields = useFieldErrors(FIELDS, () => 'retention-days');
  const path = { tenant: slug, id: folder.id };

  const take = (v: RetentionView) => {
    setR(v);
    setMode(v.own_days === undefined || v.own_days === null ? 'inherit' : 'own');
    setDays(v.own_days === undefined || v.own_days === null ? String(v.effective_days) : String(v.own_days));
  };

  useEffect(() => {
    if (!open) return;
    setMessage('');
    fields.clear();
    save.setError(null);
    void load.run(async () => take(await call(api.GET('/api/v1/t/{tenant}/folders/{id}/retention', { params: { path } }))));
  }, [open, folder.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage('');
    if (mode === 'own' && fields.check({ retention_days: daysError(days) })) return;
    const value = mode === 'own' ? Number(days.trim()) : null;
    const f = await save.run(
      () => call(api.PUT('/api/v1/t/{tenant}/folders/{id}/retention', { params: { path }, body: { retention_days: value } })),
      fields.fromServer,
    );
    if (!f) return;
    onSaved(f);
    const fresh = await save.run(() => call(api.GET('/api/v1/t/{tenant}/folders/{id}/retention', { params: { path } })));
    if (fresh) take(fresh);
    setMessage(value === null ? t('docs.retention.savedInherit') : t('docs.retention.savedOwn', { days: t('docs.retention.days', { count: value }) }));
  };

  const locked = r !== null && !r.can_change;
  const why = locked ? 'retention-why' : undefined;

  return (
    <Dialog open={open} title={t('docs.retention.title', { name: folder.name })} onClose={onClose}>
      {message && <Alert variant="success" title={message} live="status" />}
      <ErrorAlert error={load.error} />
      <ErrorAlert error={save.error} />
      <p className="kern-body">{t('docs.retention.explain')}</p>
      <p className="kern-body">{t('docs.retention.explainInherit')}</p>
      {!r && !load.error && <Loading inline />}
      {r && (
        <>
          <p className="kern-body" data-testid="retention-in-force">
            <strong>{t('docs.retention.inForce')}</strong> {retentionInForce(t, r, folder.id)}
          </p>
          <form className="app-form" onSubmit={submit} noValidate>
            <fieldset className="kern-fieldset app-fieldset" disabled={locked} aria-describedby={why}>
              <legend className="kern-label">{t('docs.retention.legend')}</legend>
              <div className="kern-fieldset__body">
                <div className="kern-form-check">
                  <input className="kern-form-check__radio" type="radio" id="retention-inherit" name="retention-mode" value="inherit" checked={mode === 'inherit'} onChange={() => setMode('inherit')} />
                  <label className="kern-label" htmlFor="retention-inherit">
                    {folder.parent_id ? t('docs.retention.inheritOption') : t('docs.retention.noneOption')}
                  </label>
                </div>
                <div className="kern-form-check">
                  <input className="kern-form-check__radio" type="radio" id="retention-own" name="retention-mode" value="own" checked={mode === 'own'} onChange={() => setMode('own')} />
                  <label className="kern-label" htmlFor="retention-own">
                    {t('docs.retention.ownOption')}
                  </label>
                </div>
              </div>
            </fieldset>
            {mode === 'own' && (
              <TextField
                id="retention-days"
                label={t('docs.retention.daysLabel')}
                hint={t('docs.retention.daysHint', { max: MAX_RETENTION_DAYS })}
                inputMode="numeric"
                value={days}
                disabled={locked}
                aria-describedby={why}
                onChange={(e) => setDays(e.target.value)}
                error={fields.errors.retention_days}
              />
            )}
            {locked && (
              <p className="kern-hint" id="retention-why">
                {t('docs.retention.adminsOnly')}
              </p>
            )}
            <div className="app-actions">
              <Button type="submit" busy={save.busy} disabled={locked} aria-describedby={why}>
                {t('common.save')}
              </Button>
              <Button variant="secondary" onClick={onClose}>
                {t('common.close')}
              </Button>
            </div>
          </form>
        </>
      )}
    </Dialog>
  );
}
