import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import { DocsContext, type DocsContextValue } from '../documents/context';
import { Directory } from '../documents/directory';
import { FolderCache } from '../documents/trail';
import i18n from '../i18n';
import { ItemRecord } from './MinutesPage';
import type { MinutesItem, Poll } from './model';
import { PollCard } from './PollCard';
import { PollDialog } from './PollDialog';
import { SeatDialog } from './SeatDialog';

const ME = '0190a000-0000-7000-8000-000000000001';
const ctx: DocsContextValue = { slug: 'demo', role: 'staff', isAdmin: false, membershipId: ME, directory: new Directory(null), folders: new FolderCache() };

const poll = (over: Partial<Poll> = {}): Poll => ({
  id: 'p1',
  committee_id: 'c1',
  written: true,
  title: 'Wahl der Schriftführung',
  kind: 'secret',
  method: 'yes_no_abstain',
  seats: 1,
  options: [],
  rule: { majority: 'simple', base: 'cast' },
  state: 'closed',
  ballots: 2,
  voted: false,
  can_vote: true,
  too_few_ballots: true,
  can_annul: true,
  created_at: '2026-05-04T18:00:00Z',
  created_by: ME,
  ...over,
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fake server: the CSRF token, and `handle` for every other request (all recorded). */
function server(handle: (req: Request) => Promise<Response>) {
  const seen: string[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    if (req.url.endsWith('/auth/csrf')) return json({ csrf_token: 't' });
    seen.push(`${req.method} ${new URL(req.url).pathname}`);
    return handle(req);
  });
  vi.stubGlobal('fetch', fn);
  return seen;
}

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

const inCtx = (ui: React.ReactNode) => render(<DocsContext.Provider value={ctx}>{ui}</DocsContext.Provider>);

describe('PollCard, secret poll with too few ballots', () => {
  it('tells the chair there are too few votes, offers no publication, and annuls with a reason', async () => {
    const annulled = poll({ state: 'annulled', too_few_ballots: false, can_annul: false, annul_reason: 'Wiederholung in der nächsten Sitzung', annulled_by: ME });
    const bodies: unknown[] = [];
    const seen = server(async (req) => {
      if (req.method === 'POST' && req.url.endsWith('/polls/p1/annul')) {
        bodies.push(await req.json());
        return json(annulled);
      }
      if (req.method === 'GET' && req.url.endsWith('/polls/p1')) return json(annulled);
      return json({ type: 'urn:kollab:problem:not-found', title: 'x', status: 404, code: 'not-found' }, 404);
    });
    const user = userEvent.setup();
    inCtx(<PollCard poll={poll()} manage link={false} />);
    expect(screen.getByText(/zu wenige Stimmen für eine geheime Auswertung/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Ergebnis veröffentlichen/ })).toBeNull();

    await user.click(screen.getByRole('button', { name: /Abstimmung annullieren/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Abstimmung annullieren' }));
    expect(within(dialog).getByText('Bitte einen Grund mit 1 bis 2000 Zeichen angeben.')).toBeTruthy();
    expect(bodies).toHaveLength(0);
    await user.type(within(dialog).getByLabelText('Grund der Annullierung'), 'Wiederholung in der nächsten Sitzung');
    await user.click(within(dialog).getByRole('button', { name: 'Abstimmung annullieren' }));
    await screen.findByText('Annulliert – kein Beschluss.');
    expect(bodies).toEqual([{ reason: 'Wiederholung in der nächsten Sitzung' }]);
    expect(screen.getByText('Grund: Wiederholung in der nächsten Sitzung')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Abstimmung annullieren/ })).toBeNull();
    expect(seen.some((s) => s.endsWith('/result'))).toBe(false);
  });

  it('tells members it was not counted, and never asks for a result', () => {
    const seen = server(async () => json({}, 500));
    inCtx(<PollCard poll={poll({ can_annul: false })} manage={false} link={false} />);
    expect(screen.getByText('Nicht ausgewertet – zu wenige Stimmen für eine geheime Auswertung.')).toBeTruthy();
    expect(screen.queryByText(/sobald der Vorsitz es veröffentlicht/)).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
    expect(seen).toHaveLength(0);
  });

  it('shows an annulled poll as annulled, with its reason and without a result', () => {
    const seen = server(async () => json({}, 500));
    inCtx(<PollCard poll={poll({ state: 'annulled', too_few_ballots: false, can_annul: false, annul_reason: 'Formfehler' })} manage={false} link={false} />);
    expect(screen.getByText('Annulliert')).toBeTruthy();
    expect(screen.getByText('Annulliert – kein Beschluss.')).toBeTruthy();
    expect(screen.getByText('Grund: Formfehler')).toBeTruthy();
    expect(screen.queryByTestId('poll-result')).toBeNull();
    expect(seen).toHaveLength(0);
  });

  it('in English too', async () => {
    server(async () => json({}, 500));
    await i18n.changeLanguage('en');
    inCtx(<PollCard poll={poll()} manage link={false} />);
    expect(screen.getByText(/too few votes for a secret count/)).toBeTruthy();
    expect(screen.getByRole('button', { name: /Annul poll/ })).toBeTruthy();
  });
});

describe('where weights are set', () => {
  it('the poll dialog says a secret poll counts one vote per person', async () => {
    const user = userEvent.setup();
    inCtx(<PollDialog open target={{ committeeId: 'c1' }} title="Umlaufverfahren" onClose={() => undefined} onCreated={() => undefined} />);
    expect(screen.queryByText(/Geheime Abstimmungen zählen eine Stimme je Person/)).toBeNull();
    await user.click(screen.getByLabelText('Geheim'));
    expect(screen.getByText(/Geheime Abstimmungen zählen eine Stimme je Person/)).toBeTruthy();
  });

  it('the seat dialog says so beside the weight', () => {
    inCtx(<SeatDialog open seat={undefined} onClose={() => undefined} onSubmit={async () => undefined} />);
    const weight = screen.getByLabelText('Stimmgewicht');
    const hint = document.getElementById(`${weight.id}-hint`);
    expect(hint?.textContent).toContain('Geheime Abstimmungen zählen eine Stimme je Person');
  });
});

describe('minutes', () => {
  it('show no tally of an annulled or uncounted poll', () => {
    const base = { kind: 'secret', method: 'yes_no_abstain', seats: 1, rule: { majority: 'simple', base: 'cast' }, ballots: 2, yes: 0, no: 0, abstain: 0,
      options: [], base_weight: 0, present_weight: 0, members_weight: 0, passed: false, tie_at_cut: false, named_votes: [] };
    const item = { agenda_item_id: 'a', number: 1, title: 'TOP', description: '', public: true, papers: [], conflicts: [], summary: '', decision: '',
      polls: [
        { ...base, poll_id: 'x', title: 'Annulliert', annulled: true, annul_reason: 'Formfehler', no_result: false, verdict: 'annulliert' },
        { ...base, poll_id: 'y', title: 'Offen geblieben', annulled: false, no_result: true, verdict: 'nicht ausgewertet' },
      ] } as unknown as MinutesItem;
    inCtx(<ItemRecord item={item} />);
    expect(screen.getByText('annulliert – kein Beschluss')).toBeTruthy();
    expect(screen.getByText(/Grund: Formfehler/)).toBeTruthy();
    expect(screen.getByText('nicht ausgewertet: zu wenige Stimmen für eine geheime Auswertung')).toBeTruthy();
    expect(screen.queryByText(/Ja: /)).toBeNull();
  });
});

describe('PollCard, a draft in the console', () => {
  const items = [
    { id: 'i1', number: 1, title: 'Bebauungsplan Nord', state: 'accepted' },
    { id: 'i2', number: 2, title: 'Vergabe Winterdienst', state: 'accepted' },
  ] as unknown as import('./model').AgendaItem[];
  const draft = poll({ written: false, meeting_id: 'm1', agenda_item_id: 'i1', state: 'draft', ballots: 0, too_few_ballots: false, can_annul: false, kind: 'named', title: 'Vergabe' });

  it('is moved to another item with the edit dialog, and says so', async () => {
    const bodies: unknown[] = [];
    server(async (req) => {
      if (req.method === 'PATCH' && req.url.endsWith('/polls/p1')) {
        bodies.push(await req.json());
        return json({ ...draft, agenda_item_id: 'i2' });
      }
      return json({}, 500);
    });
    const notices: string[] = [];
    const user = userEvent.setup();
    inCtx(<PollCard poll={draft} manage link={false} items={items} onNotice={(n) => notices.push(n)} />);
    await user.click(screen.getByRole('button', { name: /^Entwurf bearbeiten/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Abstimmung „Vergabe“ bearbeiten' });
    const select = within(dialog).getByLabelText('Tagesordnungspunkt') as HTMLSelectElement;
    expect(select.value).toBe('i1');
    await user.selectOptions(select, 'i2');
    await user.click(within(dialog).getByRole('button', { name: 'Änderungen speichern' }));
    await vi.waitFor(() => expect(notices).toEqual(['Die Abstimmung „Vergabe“ gehört jetzt zu TOP 2.']));
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ agenda_item_id: 'i2', title: 'Vergabe', kind: 'named', method: 'yes_no_abstain', rule: { majority: 'simple', base: 'cast' } });
  });

  it('is deleted after asking; an opened poll offers neither', async () => {
    const seen = server(async () => new Response(null, { status: 204 }));
    const changed = vi.fn();
    const user = userEvent.setup();
    const { unmount } = inCtx(<PollCard poll={draft} manage link={false} items={items} onChanged={changed} />);
    await user.click(screen.getByRole('button', { name: /^Entwurf löschen/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Entwurf „Vergabe“ löschen?' });
    await user.click(within(dialog).getByRole('button', { name: 'Entwurf löschen' }));
    await vi.waitFor(() => expect(changed).toHaveBeenCalled());
    expect(seen).toContain('DELETE /api/v1/t/demo/polls/p1');
    unmount();
    inCtx(<PollCard poll={{ ...draft, state: 'open', can_annul: true }} manage link={false} items={items} />);
    expect(screen.queryByRole('button', { name: /^Entwurf/ })).toBeNull();
    expect(screen.getByRole('button', { name: /^Abstimmung annullieren/ })).toBeTruthy();
  });
});
