import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Schemas } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { Checkbox, TextField } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useAction } from '../lib/useAction';
import type { TenantInfo } from './AdminConsole';

type Term = Schemas['LegislativeTermView'];
export interface TermRow {
  key: number;
  name: string;
  start: string;
  end: string;
}

let rowKey = 0;
const toRow = (t: Term): TermRow => ({ key: ++rowKey, name: t.name, start: t.start, end: t.end ?? '' });

/** The problems of the term rows, by index and field (i18n keys); empty rows are dropped. */
export function termErrors(rows: TermRow[]): Record<number, { name?: string; start?: string; end?: string }> {
  const out: Record<number, { name?: string; start?: string; end?: string }> = {};
  rows.forEach((r, i) => {
    if (!r.name.trim() && !r.start && !r.end) return;
    const e: { name?: string; start?: string; end?: string } = {};
    if (!r.name.trim()) e.name = 'admin.oparl.termNameRequired';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(r.start)) e.start = 'admin.oparl.termStartRequired';
    if (r.end && r.start && r.end < r.start) e.end = 'admin.oparl.termEndBeforeStart';
    if (Object.keys(e).length) out[i] = e;
  });
  return out;
}

/** OParl publication: whether the tenant is published, its website and its legislative terms. */
export function OParlPage({ tenant, onSaved }: { tenant: TenantInfo; onSaved: (s: Schemas['SettingsView']) => void }) {
  const { t } = useTranslation();
  const o = tenant.settings.oparl;
  const [isPublic, setPublic] = useState(o?.public ?? false);
  const [website, setWebsite] = useState(o?.website ?? '');
  const [rows, setRows] = useState<TermRow[]>(() => (o?.legislative_terms ?? []).map(toRow));
  const [errors, setErrors] = useState<Record<number, { name?: string; start?: string; end?: string }>>({});
  const [websiteError, setWebsiteError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  const set = (i: number, patch: Partial<TermRow>) => {
    setSaved(false);
    setRows((l) => l.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const errs = termErrors(rows);
    const site = website.trim();
    const siteErr = site && !/^https?:\/\/\S+$/i.test(site) ? t('admin.oparl.websiteInvalid') : undefined;
    setErrors(errs);
    setWebsiteError(siteErr);
    if (siteErr) {
      document.getElementById('oparl-website')?.focus();
      return;
    }
    const first = Object.keys(errs)[0];
    if (first !== undefined) {
      const f = errs[Number(first)];
      document.getElementById(`oparl-term-${first}-${f.name ? 'name' : f.start ? 'start' : 'end'}`)?.focus();
      return;
    }
    const terms = rows.filter((r) => r.name.trim() || r.start || r.end).map((r) => ({ name: r.name.trim(), start: r.start, ...(r.end ? { end: r.end } : {}) }));
    const body = { require_totp_roles: tenant.settings.require_totp_roles ?? [], oparl: { public: isPublic, ...(site ? { website: site } : {}), legislative_terms: terms } };
    const res = await run(() => call(api.PUT('/api/v1/t/{tenant}/settings', { params: { path: { tenant: tenant.slug } }, body })));
    if (res) {
      onSaved(res);
      setSaved(true);
    }
  };

  return (
    <>
      <PageHeading title={t('admin.oparl.title')}>{t('admin.oparl.title')}</PageHeading>
      <p className="kern-body">{t('admin.oparl.lead')}</p>
      {saved && <Alert variant="success" title={t('admin.oparl.saved')} live="status" />}
      <ErrorAlert error={error} />
      <form className="app-form app-form--wide" onSubmit={submit} noValidate>
        <Checkbox id="oparl-public" label={t('admin.oparl.public')} hint={t('admin.oparl.publicHint')} checked={isPublic} onChange={(e) => { setSaved(false); setPublic(e.target.checked); }} />
        <TextField id="oparl-website" type="url" label={t('admin.oparl.website')} optional hint={t('admin.oparl.websiteHint')} value={website} maxLength={2000} onChange={(e) => { setSaved(false); setWebsite(e.target.value); }} error={websiteError} />
        <fieldset className="kern-fieldset app-fieldset">
          <legend className="kern-label">{t('admin.oparl.terms')}</legend>
          <div className="kern-fieldset__body app-form">
            {rows.length === 0 && <p className="kern-body kern-body--muted">{t('admin.oparl.noTerms')}</p>}
            {rows.map((r, i) => (
              <div key={r.key} className="app-meta__row" data-term={i}>
                <TextField id={`oparl-term-${i}-name`} label={t('admin.oparl.termName')} value={r.name} maxLength={200} onChange={(e) => set(i, { name: e.target.value })} error={errors[i]?.name && t(errors[i].name!)} />
                <TextField id={`oparl-term-${i}-start`} type="date" label={t('admin.oparl.termStart')} value={r.start} onChange={(e) => set(i, { start: e.target.value })} error={errors[i]?.start && t(errors[i].start!)} />
                <TextField id={`oparl-term-${i}-end`} type="date" label={t('admin.oparl.termEnd')} optional value={r.end} onChange={(e) => set(i, { end: e.target.value })} error={errors[i]?.end && t(errors[i].end!)} />
                <Button variant="secondary" small icon="delete" onClick={() => setRows((l) => l.filter((_, j) => j !== i))}>
                  {t('admin.oparl.removeTerm')}
                  <span className="app-sr-only">: {r.name || t('admin.oparl.termN', { n: i + 1 })}</span>
                </Button>
              </div>
            ))}
            <div className="app-actions">
              <Button variant="secondary" small icon="add" onClick={() => setRows((l) => [...l, { key: ++rowKey, name: '', start: '', end: '' }])}>
                {t('admin.oparl.addTerm')}
              </Button>
            </div>
          </div>
        </fieldset>
        <div className="app-actions">
          <Button type="submit" busy={busy}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </>
  );
}
