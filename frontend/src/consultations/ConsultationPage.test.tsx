import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import { docs, fakeServer, inModule, json } from '../guests/testing';
import i18n from '../i18n';
import { ConsultationPage } from './ConsultationPage';
import type { Consultation, Statement } from './model';
import { cons, statement } from './testing';

const BASE = '/api/v1/t/demo/consultations/k1';
const FUTURE = new Date(Date.now() + 5 * 24 * 3600 * 1000).toISOString();
const notFound = () => json({ status: 404, code: 'not-found', title: 'Nicht gefunden', detail: 'Dieses Verfahren gibt es nicht.' }, 404);

function server(state: { c: Consultation; statements: Statement[] }, extra: (req: Request, body: unknown) => Response | undefined = () => undefined) {
  return fakeServer((req, body) => {
    const url = new URL(req.url);
    const own = extra(req, body);
    if (own) return own;
    if (url.pathname === BASE && req.method === 'GET') return json(state.c);
    if (url.pathname === `${BASE}/statements` && req.method === 'GET') return json({ statements: state.statements });
    return notFound();
  });
}

const page = (role: 'staff' | 'partner' = 'staff') => inModule(<ConsultationPage consultationId="k1" />, docs({ role }), '/t/demo/consultations/k1');

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

describe('the consultation page for staff', () => {
  it('shows who answered in a table, the statements, and reminds those who have not', async () => {
    const st = { c: cons({ deadline: FUTURE, documents: [{ document_id: 'd1', revision_id: 'r1', title: 'Bauwerksentwurf', file_name: 'entwurf.pdf', content_type: 'application/pdf', number: 2, size: 10, available: true }] }), statements: [statement()] };
    const seen = server(st, (req) => (req.method === 'POST' && req.url.endsWith('/remind') ? json({ organisations: 1, people: 2 }) : undefined));
    const user = userEvent.setup();
    page();
    expect(await screen.findByRole('heading', { level: 1, name: 'Ersatzneubau Brücke' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Brücke Mühlbach' }).getAttribute('href')).toBe('/t/demo/workspaces/w1');
    expect(screen.getByRole('link', { name: 'Bauwerksentwurf' }).getAttribute('href')).toBe(`${BASE}/files/r1/content`);
    expect(screen.getByTestId('cons-answered').textContent).toBe('1 von 2 Organisationen haben geantwortet.');
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Organisation', 'Stand', 'Eingereicht am', 'Fassungen', 'Zuletzt erinnert']);
    const rows = within(table).getAllByTestId('invitee-row');
    expect(within(rows[0]).getByRole('rowheader').textContent).toBe('Statik Nord');
    expect(rows[0].textContent).toContain('Beantwortet');
    expect(rows[1].textContent).toContain('Ausstehend');
    const s = screen.getByTestId('statement');
    expect(s.textContent).toContain('24 m tragen.');
    expect(within(s).getByRole('link', { name: 'Nachweis.pdf' }).getAttribute('href')).toBe(`${BASE}/files/r9/content`);
    // Opening is done: no button for it.
    expect(screen.queryByRole('button', { name: 'Verfahren eröffnen' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Ausstehende erinnern' }));
    expect(await screen.findByText('1 Organisation erinnert (2 Personen benachrichtigt).')).toBeTruthy();
    expect(seen.map((x) => x.call)).toContain(`POST ${BASE}/remind`);
  });

  it('files the synopsis and links to the filed documents; imports into the case file', async () => {
    const st = { c: cons({ deadline: FUTURE }), statements: [statement()] };
    server(st, (req) => {
      if (req.method === 'POST' && req.url.endsWith('/synopsis')) return json({ pdf_document_id: 'dp', odt_document_id: 'do' });
      if (req.method === 'POST' && req.url.endsWith('/import')) return json({ statements: 1, documents: ['dx'] });
      return undefined;
    });
    const user = userEvent.setup();
    page();
    await user.click(await screen.findByRole('button', { name: 'Synopse ablegen' }));
    expect(await screen.findByText('Die Synopse wurde im Ordner des Verfahrens abgelegt.')).toBeTruthy();
    const links = screen.getByTestId('synopsis-links');
    expect(within(links).getByRole('link', { name: 'Synopse (PDF)' }).getAttribute('href')).toBe('/t/demo/documents/d/dp');
    expect(within(links).getByRole('link', { name: 'Synopse (ODT)' }).getAttribute('href')).toBe('/t/demo/documents/d/do');
    await user.click(screen.getByRole('button', { name: 'In die Akte übernehmen' }));
    expect(await screen.findByText('1 Fassung wurde in die Akte übernommen.')).toBeTruthy();
    expect(within(screen.getByTestId('import-links')).getByRole('link').getAttribute('href')).toBe('/t/demo/documents/d/dx');
  });

  it('a draft without organisations cannot be opened, and says why; filing waits for a statement', async () => {
    server({ c: cons({ state: 'draft', accepting: false, deadline: FUTURE, invitees: [] }), statements: [] });
    page();
    const open = await screen.findByRole('button', { name: 'Verfahren eröffnen' });
    expect(open.hasAttribute('disabled')).toBe(true);
    const reason = document.getElementById(open.getAttribute('aria-describedby') ?? '');
    expect(reason?.textContent).toBe('Es ist noch keine Organisation beteiligt.');
    expect(screen.getByRole('button', { name: 'Synopse ablegen' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByText('Es liegt noch keine Stellungnahme vor.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Frist ändern' }).hasAttribute('disabled')).toBe(false);
  });

  it('opens a draft after a confirmation; extends the deadline with If-Match', async () => {
    const st = { c: cons({ state: 'draft', accepting: false, deadline: FUTURE }), statements: [] as Statement[] };
    const seen = server(st, (req, body) => {
      if (req.method === 'POST' && req.url.endsWith('/open')) {
        st.c = { ...st.c, state: 'open', accepting: true, version: 4 };
        return json(st.c);
      }
      if (req.method === 'PATCH') {
        st.c = { ...st.c, deadline: (body as { deadline: string }).deadline, version: 5 };
        return json(st.c);
      }
      return undefined;
    });
    const user = userEvent.setup();
    page();
    await user.click(await screen.findByRole('button', { name: 'Verfahren eröffnen' }));
    const dialog = await screen.findByRole('dialog', { name: '„Ersatzneubau Brücke“ eröffnen?' });
    expect(dialog.textContent).toContain('Die Gäste der 2 beteiligten Organisationen werden benachrichtigt');
    await user.click(within(dialog).getByRole('button', { name: 'Verfahren eröffnen' }));
    expect(await screen.findByText('Das Verfahren ist eröffnet; die beteiligten Organisationen wurden benachrichtigt.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Frist verlängern' }));
    const ext = await screen.findByRole('dialog', { name: 'Frist von „Ersatzneubau Brücke“ verlängern' });
    const date = within(ext).getByLabelText('Neues Datum') as HTMLInputElement;
    await user.clear(date);
    await user.type(date, '2020-01-01');
    await user.click(within(ext).getByRole('button', { name: 'Frist speichern' }));
    expect(await within(ext).findByText('Die Frist muss in der Zukunft liegen.')).toBeTruthy();
    await user.clear(date);
    await user.type(date, '2099-01-01');
    await user.click(within(ext).getByRole('button', { name: 'Frist speichern' }));
    expect(await screen.findByText(/^Die Frist gilt jetzt bis 01\.01\.2099/)).toBeTruthy();
    const patch = seen.find((x) => x.call.startsWith('PATCH'));
    expect(patch?.call).toBe(`PATCH ${BASE}`);
    expect(Object.keys(patch?.body as object)).toEqual(['deadline']);
  });

  it('records a statement received by post', async () => {
    const seen = server({ c: cons({ deadline: FUTURE }), statements: [] }, (req) => (req.method === 'POST' && req.url.endsWith('/postal') ? json(statement({ organisation_id: 'o2', organisation_name: 'Umweltbüro Süd' })) : undefined));
    const user = userEvent.setup();
    page();
    await user.click(await screen.findByRole('button', { name: 'Stellungnahme per Post erfassen' }));
    const dialog = await screen.findByRole('dialog', { name: 'Stellungnahme per Post erfassen' });
    await user.click(within(dialog).getByRole('button', { name: 'Stellungnahme erfassen' }));
    expect(await within(dialog).findByText('Bitte ausfüllen.')).toBeTruthy();
    await user.selectOptions(within(dialog).getByLabelText('Organisation'), 'o2');
    await user.type(within(dialog).getByLabelText(/^Antwort auf Frage 1: Spannweite\?/), 'Per Brief: ja.');
    await user.click(within(dialog).getByRole('button', { name: 'Stellungnahme erfassen' }));
    expect(await screen.findByText('Die Stellungnahme von Umweltbüro Süd wurde erfasst.')).toBeTruthy();
    const sent = seen.find((x) => x.call === `POST ${BASE}/statements/postal`)?.body as { organisation_id: string; answers: string[]; received_at: string };
    expect(sent.organisation_id).toBe('o2');
    expect(sent.answers).toEqual(['Per Brief: ja.', '']);
    expect(new Date(sent.received_at).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('speaks English after the switch', async () => {
    await i18n.changeLanguage('en');
    server({ c: cons({ deadline: FUTURE }), statements: [statement()] });
    page();
    expect(await screen.findByRole('heading', { level: 2, name: 'Who has answered' })).toBeTruthy();
    expect(screen.getByTestId('cons-answered').textContent).toBe('1 of 2 organisations have answered.');
    expect(screen.getByRole('button', { name: 'Take into the case file' })).toBeTruthy();
    expect(screen.getByTestId('statement-version').textContent).toMatch(/^Version 1, submitted by Erika Ingenieurin on /);
  });

  it('an unknown consultation reads as unavailable', async () => {
    fakeServer(() => notFound());
    page();
    expect(await screen.findByRole('heading', { level: 1, name: 'Beteiligungsverfahren nicht verfügbar' })).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent).toContain('Dieses Verfahren gibt es nicht.');
  });
});

describe('the consultation page for a guest', () => {
  const guestCons = (over: Partial<Consultation> = {}) =>
    cons({ can_manage: false, my_organisation_id: 'o1', deadline: FUTURE, folder_id: 'f1', invitees: [{ organisation_id: 'o1', name: 'Statik Nord', invited_at: '2026-12-01T10:00:00Z', versions: 0 }], ...over });

  it('answers each question, saves a draft, submits after a confirmation, then reads it', async () => {
    const st = { c: guestCons(), statements: [] as Statement[] };
    const seen = server(st, (req, body) => {
      if (req.method === 'PUT') {
        const b = body as { answers: string[]; body: string };
        st.statements = [statement({ latest: undefined, versions: 0, submitted_at: undefined, draft: { answers: b.answers, body: b.body, files: [] } })];
        return json(st.statements[0]);
      }
      if (req.method === 'POST' && req.url.endsWith('/statements/submit')) {
        st.statements = [statement()];
        return json(st.statements[0]);
      }
      return undefined;
    });
    const user = userEvent.setup();
    page('partner');
    expect(await screen.findByRole('heading', { level: 2, name: 'Stellungnahme von Statik Nord' })).toBeTruthy();
    // Guests see neither the answers table nor staff's buttons.
    expect(screen.queryByRole('button', { name: 'Synopse ablegen' })).toBeNull();
    await user.type(screen.getByLabelText('Antwort auf Frage 1: Spannweite?'), '24 m tragen.');
    await user.type(screen.getByLabelText('Antwort auf Frage 2: Bauzeit?'), 'Nachts sperren.');
    await user.type(screen.getByLabelText(/^Allgemeine Stellungnahme/), 'Wir stimmen zu.');
    await user.click(screen.getByRole('button', { name: 'Entwurf speichern' }));
    expect(await screen.findByText(/^Entwurf gespeichert/)).toBeTruthy();
    expect(seen.find((x) => x.call === `PUT ${BASE}/statements`)?.body).toEqual({ answers: ['24 m tragen.', 'Nachts sperren.'], body: 'Wir stimmen zu.', files: [] });
    await user.click(screen.getByRole('button', { name: 'Stellungnahme einreichen' }));
    const dialog = await screen.findByRole('dialog', { name: 'Stellungnahme einreichen?' });
    expect(dialog.textContent).toContain('überarbeitete Fassung einreichen');
    await user.click(within(dialog).getByRole('button', { name: 'Stellungnahme einreichen' }));
    expect(await screen.findByText('Ihre Stellungnahme wurde eingereicht (Fassung 1).')).toBeTruthy();
    expect(seen.map((x) => x.call)).toContain(`POST ${BASE}/statements/submit`);
    // Read-only now, revisable until the deadline.
    expect(screen.queryByLabelText('Antwort auf Frage 1: Spannweite?')).toBeNull();
    expect(screen.getByTestId('revise-hint').textContent).toMatch(/bis zur Frist .* überarbeiten und erneut einreichen/);
    expect(screen.getByTestId('statement-version').textContent).toContain('24 m tragen.');
    await user.click(screen.getByRole('button', { name: 'Überarbeiten' }));
    expect((screen.getByLabelText('Antwort auf Frage 1: Spannweite?') as HTMLTextAreaElement).value).toBe('24 m tragen.');
  });

  it('after the deadline nothing can be written, and the button says why', async () => {
    server({ c: guestCons({ accepting: false, deadline: '2026-01-01T10:00:00Z' }), statements: [] });
    page('partner');
    expect(await screen.findByTestId('no-statement')).toBeTruthy();
    const write = screen.getByRole('button', { name: 'Stellungnahme schreiben' });
    expect(write.hasAttribute('disabled')).toBe(true);
    expect(document.getElementById(write.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Die Frist ist abgelaufen.');
    expect(screen.queryByRole('button', { name: 'Entwurf speichern' })).toBeNull();
  });
});
