import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { Cockpit, cockpitParts, type CockpitData } from './Cockpit';

const full: CockpitData = {
  meetings: [{ id: 'm1', title: '5. Sitzung des Bauausschusses', committee_id: 'c1', committee_name: 'Bauausschuss', starts_at: '2026-12-10T16:00:00Z', ends_at: '2026-12-10T18:00:00Z', state: 'invited' }],
  polls: [{ id: 'p1', title: 'Haushalt 2027', committee_name: 'Rat', deadline: '2026-12-12T12:00:00Z' }],
  workspaces: { items: [{ id: 'w1', name: 'Radweg Nordstadt', my_role: 'owner', member_count: 3, updated_at: '2026-12-07T10:00:00Z' }], total: 4 },
  consultations: [{ id: 'k1', subject: 'Radweg Nordstadt: Trassenwahl', deadline: '2026-12-20T12:00:00Z', workspace_id: 'w1', workspace_name: 'Radweg Nordstadt', answered: 1, invited: 3 }],
  documents: [{ id: 'd1', title: 'Trassenvarianten.pdf', folder_id: 'f1', folder_name: 'Radweg', updated_at: '2026-12-07T10:00:00Z' }],
  notifications: {
    unread: 7,
    items: [{ id: 'n1', kind: 'poll.opened', object_type: 'poll', object_id: 'p1', title: 'Abstimmung geöffnet: Haushalt', text: '', link: 'polls/p1', created_at: '2026-12-07T10:00:00Z' }],
  },
};
const empty: CockpitData = { meetings: [], polls: [], workspaces: { items: [], total: 0 }, consultations: [], documents: [], notifications: { unread: 0, items: [] } };

function show(data: CockpitData, role: 'admin' | 'staff' | 'committee' | 'partner' = 'staff') {
  render(
    <MemoryRouter>
      <Cockpit slug="amt" role={role} data={data} />
    </MemoryRouter>,
  );
}
const section = (name: string) => screen.getByRole('region', { name });
const headings = () => screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);

beforeEach(async () => {
  await i18n.changeLanguage('de');
});

describe('Cockpit', () => {
  it('shows every part with links to its objects', () => {
    show(full);
    expect(headings()).toEqual(['Nächste Sitzungen', 'Offene Abstimmungen für Sie', 'Beteiligungsverfahren', 'Meine Arbeitsräume', 'Zuletzt geänderte Dokumente', 'Ungelesene Benachrichtigungen']);
    const cons = section('Beteiligungsverfahren');
    expect(within(cons).getByRole('link', { name: 'Radweg Nordstadt: Trassenwahl' }).getAttribute('href')).toBe('/t/amt/consultations/k1');
    expect(cons.textContent).toContain('1 von 3 beantwortet');
    expect(cons.textContent).toContain('Radweg Nordstadt');
    expect(within(section('Nächste Sitzungen')).getByRole('link', { name: '5. Sitzung des Bauausschusses' }).getAttribute('href')).toBe('/t/amt/meetings/m1');
    const polls = section('Offene Abstimmungen für Sie');
    expect(within(polls).getByRole('link', { name: 'Haushalt 2027' }).getAttribute('href')).toBe('/t/amt/polls/p1');
    expect(within(polls).getByText(/^Frist: /)).toBeTruthy();
    const ws = section('Meine Arbeitsräume');
    expect(within(ws).getByRole('link', { name: 'Radweg Nordstadt' }).getAttribute('href')).toBe('/t/amt/workspaces/w1');
    expect(within(ws).getByRole('link', { name: 'Alle 4 Arbeitsräume anzeigen' }).getAttribute('href')).toBe('/t/amt/workspaces');
    expect(within(section('Zuletzt geänderte Dokumente')).getByRole('link', { name: 'Trassenvarianten.pdf' }).getAttribute('href')).toBe('/t/amt/documents/d/d1');
    const notes = section('Ungelesene Benachrichtigungen');
    expect(within(notes).getByText(/7 ungelesen/)).toBeTruthy();
    expect(within(notes).getByRole('link', { name: 'Abstimmung geöffnet: Haushalt' }).getAttribute('href')).toBe('/t/amt/polls/p1');
    expect(within(notes).getByRole('link', { name: 'Alle Benachrichtigungen' }).getAttribute('href')).toBe('/t/amt/notifications');
  });

  it('says in words when a part is empty', () => {
    show(empty);
    expect(screen.getByText('Keine anstehenden Sitzungen.')).toBeTruthy();
    expect(screen.getByText('Keine offenen Abstimmungen.')).toBeTruthy();
    expect(screen.getByText('Keine Beteiligungsverfahren, die auf Sie warten oder bald enden.')).toBeTruthy();
    expect(screen.getByText('Sie gehören keinem aktiven Arbeitsraum an.')).toBeTruthy();
    expect(screen.getByText('Keine Dokumente.')).toBeTruthy();
    expect(screen.getByText('Keine ungelesenen Benachrichtigungen.')).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Arbeitsräume anzeigen/ })).toBeNull();
    expect(screen.queryAllByRole('list')).toHaveLength(0);
  });

  it('shows only the parts a role has', () => {
    show(full, 'committee');
    expect(headings()).toEqual(['Nächste Sitzungen', 'Offene Abstimmungen für Sie', 'Ungelesene Benachrichtigungen']);
    expect(screen.queryByText('Radweg Nordstadt')).toBeNull();
    expect(screen.queryByText('Trassenvarianten.pdf')).toBeNull();
  });

  it('a partner sees their consultations, workspaces and notifications only', () => {
    expect(cockpitParts('partner')).toEqual(['consultations', 'workspaces', 'notifications']);
    expect(cockpitParts('admin')).toHaveLength(6);
  });

  it('a guest (partner) first reads what the place is for, then their consultations and workspaces', () => {
    show({ ...full, consultations: [{ ...full.consultations![0], answered: 1, invited: 1 }] }, 'partner');
    expect(screen.getByTestId('cockpit-guest-intro').textContent).toMatch(/^Sie sind als Gast eingeladen\. Hier sehen Sie die Beteiligungsverfahren/);
    expect(headings()).toEqual(['Ihre Stellungnahmen', 'Meine Arbeitsräume', 'Ungelesene Benachrichtigungen']);
    const mine = section('Ihre Stellungnahmen');
    expect(within(mine).getByRole('link', { name: 'Radweg Nordstadt: Trassenwahl' }).getAttribute('href')).toBe('/t/amt/consultations/k1');
    // A guest reads whether their organisation has submitted, not how many others answered.
    expect(mine.textContent).toContain('eingereicht, bis zur Frist überarbeitbar');
    expect(mine.textContent).not.toContain('von 1 beantwortet');
    expect(within(section('Meine Arbeitsräume')).getByRole('link', { name: 'Radweg Nordstadt' }).getAttribute('href')).toBe('/t/amt/workspaces/w1');
  });

  it('others get no guest text; the start page no longer announces workspaces ("Partnerbereiche") or consultations as coming', () => {
    show(full, 'staff');
    expect(screen.queryByTestId('cockpit-guest-intro')).toBeNull();
    for (const lng of ['de', 'en']) {
      const soon = i18n.getFixedT(lng)('start.moreSoon');
      expect(soon).not.toMatch(/Partnerbereiche|partner workspaces/);
      // Consultations are here now.
      expect(soon).not.toMatch(/Beteiligungsverfahren|consultations/);
    }
  });

  it('speaks English after the switch', async () => {
    await i18n.changeLanguage('en');
    show(empty, 'committee');
    expect(headings()).toEqual(['Next meetings', 'Open polls for you', 'Unread notifications']);
    expect(screen.getByText('No open polls.')).toBeTruthy();
  });
});
