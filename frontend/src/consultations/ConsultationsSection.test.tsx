import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import { fakeServer, inModule, json } from '../guests/testing';
import i18n from '../i18n';
import { ConsultationsSection } from './ConsultationsSection';
import { cons } from './testing';

const LIST = '/api/v1/t/demo/workspaces/w1/consultations';

function server() {
  return fakeServer((req) => {
    const url = new URL(req.url);
    if (url.pathname === LIST && req.method === 'GET') return json({ consultations: [cons({ invitees: [] }), cons({ id: 'k2', subject: 'Lärmschutz', state: 'draft', accepting: false, invitees: [] })] });
    if (url.pathname === LIST && req.method === 'POST') return json(cons({ id: 'k3', subject: 'Neu', state: 'draft' }), 201);
    if (url.pathname === '/api/v1/t/demo/organisations') return json({ organisations: [{ id: 'o1', name: 'Statik Nord' }, { id: 'o2', name: 'Umweltbüro Süd' }] });
    if (url.pathname === '/api/v1/t/demo/folders/f1/documents') return json({ documents: [{ id: 'd1', title: 'Bauwerksentwurf', current_revision_id: 'r1' }, { id: 'd2', title: 'Leer' }] });
    return json({ status: 404, code: 'not-found', title: 'Nicht gefunden' }, 404);
  });
}

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

describe('the workspace’s consultations', () => {
  it('lists subject, state and deadline with links to the consultation', async () => {
    server();
    inModule(<ConsultationsSection slug="demo" workspaceId="w1" folderId="f1" create={null} />, undefined, '/t/demo/workspaces/w1');
    const rows = await screen.findAllByTestId('consultation-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByRole('link', { name: 'Ersatzneubau Brücke' }).getAttribute('href')).toBe('/t/demo/consultations/k1');
    expect(rows[1].textContent).toContain('Entwurf');
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Gegenstand', 'Stand', 'Frist']);
    // Guests are not offered a new consultation.
    expect(screen.queryByRole('button', { name: 'Neues Verfahren' })).toBeNull();
  });

  it('a reader sees why they cannot start one', async () => {
    server();
    inModule(<ConsultationsSection slug="demo" workspaceId="w1" folderId="f1" create={{ ok: false, reason: 'consultations.reason.writersOnly' }} />, undefined, '/t/demo/workspaces/w1');
    const b = await screen.findByRole('button', { name: 'Neues Verfahren' });
    expect(b.hasAttribute('disabled')).toBe(true);
    expect(document.getElementById(b.getAttribute('aria-describedby') ?? '')?.textContent).toContain('Nur Eigentümer/innen und Mitglieder');
  });

  it('creates one with questions (added and removed), a deadline, organisations and documents', async () => {
    const seen = server();
    const user = userEvent.setup();
    inModule(<ConsultationsSection slug="demo" workspaceId="w1" folderId="f1" create={{ ok: true }} />, undefined, '/t/demo/workspaces/w1');
    await user.click(await screen.findByRole('button', { name: 'Neues Verfahren' }));
    const d = await screen.findByRole('dialog', { name: 'Neues Beteiligungsverfahren' });
    await user.click(within(d).getByRole('button', { name: 'Verfahren anlegen' }));
    expect(await within(d).findByText('Bitte ausfüllen.')).toBeTruthy();
    expect(document.activeElement).toBe(within(d).getByLabelText('Gegenstand'));
    await user.type(within(d).getByLabelText('Gegenstand'), 'Neu');
    await user.type(within(d).getByLabelText('Frage 1'), 'Spannweite?');
    await user.click(within(d).getByRole('button', { name: 'Frage hinzufügen' }));
    expect(document.activeElement).toBe(within(d).getByLabelText('Frage 2'));
    await user.type(within(d).getByLabelText('Frage 2'), 'Weg damit');
    await user.click(within(d).getByRole('button', { name: 'Frage hinzufügen' }));
    await user.type(within(d).getByLabelText('Frage 3'), 'Bauzeit?');
    await user.click(within(d).getByRole('button', { name: 'Frage 2 entfernen' }));
    const date = within(d).getByLabelText('Datum');
    await user.clear(date);
    await user.type(date, '2099-03-01');
    await user.clear(within(d).getByLabelText('Uhrzeit'));
    await user.type(within(d).getByLabelText('Uhrzeit'), '10:30');
    await user.click(await within(d).findByLabelText('Umweltbüro Süd'));
    // Only documents with content can be attached.
    await user.click(await within(d).findByLabelText('Bauwerksentwurf'));
    expect(within(d).queryByLabelText('Leer')).toBeNull();
    await user.click(within(d).getByRole('button', { name: 'Verfahren anlegen' }));
    await vi.waitFor(() => expect(seen.some((x) => x.call === `POST ${LIST}`)).toBe(true));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const post = seen.find((x) => x.call === `POST ${LIST}`);
    expect(post?.body).toEqual({
      subject: 'Neu',
      deadline: new Date(2099, 2, 1, 10, 30).toISOString(),
      questions: ['Spannweite?', 'Bauzeit?'],
      organisations: ['o2'],
      documents: ['d1'],
    });
  });
});
