import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import { DocsContext, type DocsContextValue } from '../documents/context';
import { Directory } from '../documents/directory';
import { FolderCache } from '../documents/trail';
import i18n from '../i18n';
import type { Poll, PollDelegations } from './model';
import { VoteForm } from './VoteForm';

const ME = '0190a000-0000-7000-8000-000000000001';
const ctx: DocsContextValue = { slug: 'demo', role: 'committee', isAdmin: false, membershipId: ME, directory: new Directory(null), folders: new FolderCache() };

const poll = (over: Partial<Poll> = {}): Poll => ({
  id: 'p1',
  committee_id: 'c1',
  written: false,
  title: 'Beschluss',
  kind: 'secret',
  method: 'yes_no_abstain',
  seats: 1,
  options: [],
  rule: { majority: 'simple', base: 'cast' },
  state: 'open',
  ballots: 0,
  voted: false,
  can_vote: true,
  too_few_ballots: false,
  can_annul: false,
  created_at: '2026-05-04T18:00:00Z',
  created_by: ME,
  ...over,
});

/** A fake server: the CSRF token, and `handle` for every other request. */
function server(handle: (req: Request) => Promise<Response>) {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    if (req.url.endsWith('/auth/csrf')) return json({ csrf_token: 't' });
    return handle(req);
  });
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(async () => {
  resetCsrfToken();
  sessionStorage.clear();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

function mount(p: Poll) {
  return render(
    <DocsContext.Provider value={ctx}>
      <VoteForm poll={p} />
    </DocsContext.Provider>,
  );
}

describe('VoteForm', () => {
  it('asks for confirmation, casts once and shows the receipt (kept for the tab, without the choice)', async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      server(async (req: Request) => {
        bodies.push(await req.json());
        return json({ id: '0190a000-0000-7000-8000-00000000abcd', poll_id: 'p1', voter_membership_id: ME, cast_by_membership_id: ME, cast_at: '2026-05-04T18:05:00Z' }, 201);
      }),
    );
    const user = userEvent.setup();
    mount(poll());
    await user.click(screen.getByRole('button', { name: 'Nein' }));
    expect(screen.getByText('Sie stimmen: „Nein“.')).toBeTruthy();
    expect(bodies).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Stimme verbindlich abgeben' }));
    await screen.findByText('Ihre Stimme wurde gezählt');
    expect(bodies).toEqual([{ choice: 'no' }]);
    expect(screen.getByText(/ohne Ihren Namen/)).toBeTruthy();
    const kept = sessionStorage.getItem(`kollab.receipt:p1:${ME}`) ?? '';
    expect(kept).toContain('cast_at');
    expect(kept).not.toContain('no');
  });

  it('elections take at most as many options as seats, or an abstention', async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      server(async (req: Request) => {
        bodies.push(await req.json());
        return json({ id: 'r', poll_id: 'p1', voter_membership_id: ME, cast_by_membership_id: ME, cast_at: '2026-05-04T18:05:00Z' }, 201);
      }),
    );
    const user = userEvent.setup();
    const options = [
      { id: 'a', position: 1, label: 'Anna' },
      { id: 'b', position: 2, label: 'Bert' },
      { id: 'c', position: 3, label: 'Cleo' },
    ];
    mount(poll({ method: 'choice', seats: 2, options }));
    const next = screen.getByRole('button', { name: 'Weiter zur Bestätigung' }) as HTMLButtonElement;
    expect(next.disabled).toBe(true);
    await user.click(screen.getByLabelText('Anna'));
    await user.click(screen.getByLabelText('Cleo'));
    expect((screen.getByLabelText('Bert') as HTMLInputElement).disabled).toBe(true);
    await user.click(next);
    expect(screen.getByText('Sie stimmen: „Anna, Cleo“.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Stimme verbindlich abgeben' }));
    await screen.findByText('Ihre Stimme wurde gezählt');
    expect(bodies).toEqual([{ choice: 'options', option_ids: ['a', 'c'] }]);
  });

  it('a second ballot (409 while the poll is open) says the vote was already cast', async () => {
    vi.stubGlobal(
      'fetch',
      server(async (req: Request) => {
        if (req.method === 'POST') return json({ code: 'conflict', status: 409, title: 'Konflikt', detail: 'Diese Stimme wurde in dieser Abstimmung bereits abgegeben.' }, 409);
        return json(poll({ ballots: 3, voted: true }));
      }),
    );
    const user = userEvent.setup();
    mount(poll());
    await user.click(screen.getByRole('button', { name: 'Ja' }));
    await user.click(screen.getByRole('button', { name: 'Stimme verbindlich abgeben' }));
    await screen.findByText('Sie haben bereits abgestimmt');
  });

  it('a ballot cast on another device shows as cast at once', async () => {
    vi.stubGlobal('fetch', server(async () => json(poll({ ballots: 1, voted: true }))));
    mount(poll({ ballots: 1, voted: true }));
    await screen.findByText('Sie haben bereits abgestimmt');
    expect(screen.queryByRole('button', { name: 'Ja' })).toBeNull();
  });

  it('a poll closed meanwhile shows the server’s problem instead', async () => {
    vi.stubGlobal(
      'fetch',
      server(async (req: Request) => {
        if (req.method === 'POST') return json({ code: 'conflict', status: 409, title: 'Konflikt', detail: 'Die Abstimmung ist nicht geöffnet.' }, 409);
        return json(poll({ state: 'closed' }));
      }),
    );
    const user = userEvent.setup();
    mount(poll());
    await user.click(screen.getByRole('button', { name: 'Ja' }));
    await user.click(screen.getByRole('button', { name: 'Stimme verbindlich abgeben' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Die Abstimmung ist nicht geöffnet.'));
  });

  describe('proxy voting', () => {
    const ANTON = '0190a000-0000-7000-8000-00000000a001';
    const BERTA = '0190a000-0000-7000-8000-00000000b002';
    const names: Record<string, string> = { [ANTON]: 'Anton Amsel', [BERTA]: 'Berta Birke' };
    const named = {
      slug: 'demo',
      role: 'committee' as const,
      isAdmin: false,
      membershipId: ME,
      directory: new Directory({
        resolve: async (ids: string[]) => ({
          members: ids.filter((id) => names[id]).map((id) => ({ id, name: names[id], email: '', role: 'committee' as const, active: true })),
          groups: [],
        }),
        search: async () => ({ members: [], groups: [] }),
      }),
      folders: new FolderCache(),
    } satisfies DocsContextValue;
    const delegation = (from: string, to: string) => ({ id: `d-${from}`, committee_id: 'c1', from_membership_id: from, to_membership_id: to, meeting_id: 'm1', created_at: '2026-05-04T17:00:00Z', created_by: from });
    const mountWith = (p: Poll, d: PollDelegations) =>
      render(
        <DocsContext.Provider value={named}>
          <VoteForm poll={p} delegations={d} />
        </DocsContext.Provider>,
      );

    it('a proxy casts the delegator’s ballot besides their own, with its own confirmation and receipt', async () => {
      const bodies: unknown[] = [];
      vi.stubGlobal(
        'fetch',
        server(async (req: Request) => {
          const b = (await req.json()) as { voter_membership_id?: string };
          bodies.push(b);
          const voter = b.voter_membership_id ?? ME;
          return json({ id: `0190a000-0000-7000-8000-0000000${voter === ME ? '0001' : '0002'}0`, poll_id: 'p1', voter_membership_id: voter, cast_by_membership_id: ME, cast_at: '2026-05-04T18:05:00Z' }, 201);
        }),
      );
      const user = userEvent.setup();
      mountWith(poll(), { delegations: [delegation(ANTON, ME)], proxy_for: [{ membership_id: ANTON, voted: false }] });
      const proxy = await screen.findByRole('group', { name: 'Stimme für Anton Amsel abgeben' });
      expect(screen.getByRole('group', { name: 'Ihre Stimme' })).toBeTruthy();
      await user.click(within(proxy).getByRole('button', { name: 'Nein' }));
      expect(await screen.findByRole('group', { name: 'Für Anton Amsel: Bitte bestätigen' })).toBeTruthy();
      await user.click(screen.getByRole('button', { name: 'Stimme verbindlich abgeben' }));
      await screen.findByText('Die Stimme für Anton Amsel wurde gezählt');
      expect(bodies).toEqual([{ choice: 'no', voter_membership_id: ANTON }]);
      expect(sessionStorage.getItem(`kollab.receipt:p1:${ANTON}`)).toContain('cast_at');
      // The own ballot is still there.
      await user.click(within(screen.getByRole('group', { name: 'Ihre Stimme' })).getByRole('button', { name: 'Ja' }));
      await user.click(screen.getByRole('button', { name: 'Stimme verbindlich abgeben' }));
      await screen.findByText('Ihre Stimme wurde gezählt');
      expect(bodies).toEqual([{ choice: 'no', voter_membership_id: ANTON }, { choice: 'yes' }]);
    });

    it('a delegator’s ballot already in shows as cast', async () => {
      vi.stubGlobal('fetch', server(async () => json({})));
      mountWith(poll(), { delegations: [delegation(ANTON, ME)], proxy_for: [{ membership_id: ANTON, voted: true }] });
      await screen.findByText('Die Stimme für Anton Amsel ist bereits abgegeben');
      expect(screen.getAllByRole('button', { name: 'Ja' })).toHaveLength(1);
    });

    it('a delegator sees who casts their vote instead of the ballot buttons', async () => {
      vi.stubGlobal('fetch', server(async () => json({})));
      mountWith(poll(), { delegations: [delegation(ME, BERTA)], proxy_for: [] });
      await screen.findByText('Ihre Stimme gibt Berta Birke ab');
      expect(screen.queryByRole('button', { name: 'Ja' })).toBeNull();
    });
  });
});

describe('VoteForm without a vote', () => {
  it('says why instead of offering buttons to someone without a voting seat', async () => {
    const fetch = server(async () => json({}, 500));
    vi.stubGlobal('fetch', fetch);
    mount(poll({ can_vote: false }));
    expect(screen.getByTestId('vote-no-seat').textContent).toBe('Sie haben in diesem Gremium kein Stimmrecht.');
    expect(screen.queryByRole('button')).toBeNull();
    await i18n.changeLanguage('en');
    expect(await screen.findByText('You have no vote in this committee.')).toBeTruthy();
  });

  it('says that the member declared a conflict on the item, or has an advisory seat', async () => {
    vi.stubGlobal('fetch', server(async () => json({}, 500)));
    const { rerender } = mount(poll({ can_vote: false, vote_bar: 'conflict' }));
    expect(screen.getByTestId('vote-no-seat').textContent).toBe('Sie haben sich für diesen Tagesordnungspunkt für befangen erklärt und stimmen nicht mit ab.');
    expect(screen.queryByRole('button')).toBeNull();
    rerender(
      <DocsContext.Provider value={ctx}>
        <VoteForm poll={poll({ can_vote: false, vote_bar: 'no_voting_right' })} />
      </DocsContext.Provider>,
    );
    expect(screen.getByTestId('vote-no-seat').textContent).toBe('Ihr Sitz in diesem Gremium hat kein Stimmrecht (beratendes Mitglied).');
  });
});
