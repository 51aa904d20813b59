import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import type { TenantInfo } from './AdminConsole';
import { WorkdaysPage } from './WorkdaysPage';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

let sent: unknown;
beforeEach(async () => {
  resetCsrfToken();
  sent = undefined;
  await i18n.changeLanguage('de');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      if (req.url.endsWith('/auth/csrf')) return json(200, { csrf_token: 't' });
      if (req.method === 'PUT') {
        sent = JSON.parse(await req.text());
        return json(200, { ...(sent as object), language: 'de' });
      }
      return json(404, { status: 404, code: 'not-found', title: 'x' });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

const tenant = (settings: object) => ({ slug: 'amt', name: 'Amt', settings: { require_totp_roles: ['admin', 'partner'], ...settings } }) as unknown as TenantInfo;
const optionTexts = (select: HTMLSelectElement) => [...select.options].map((o) => o.textContent);

describe('the federal state setting', () => {
  it('offers none and the 16 states by German name, and saves the choice with the 2FA roles unchanged', async () => {
    const onSaved = vi.fn();
    render(<WorkdaysPage tenant={tenant({})} onSaved={onSaved} />);
    const select = screen.getByLabelText('Bundesland (für Arbeitstage und Feiertage)') as HTMLSelectElement;
    expect(select.value).toBe('');
    expect(optionTexts(select)).toEqual([
      '— keines (nur bundesweite Feiertage) —',
      'Baden-Württemberg',
      'Bayern',
      'Berlin',
      'Brandenburg',
      'Bremen',
      'Hamburg',
      'Hessen',
      'Mecklenburg-Vorpommern',
      'Niedersachsen',
      'Nordrhein-Westfalen',
      'Rheinland-Pfalz',
      'Saarland',
      'Sachsen',
      'Sachsen-Anhalt',
      'Schleswig-Holstein',
      'Thüringen',
    ]);
    expect(document.getElementById(select.getAttribute('aria-describedby')!)!.textContent).toMatch(/^Es zählen die landesweiten Feiertage\./);
    await userEvent.selectOptions(select, 'Sachsen');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    await screen.findByText('Das Bundesland wurde gespeichert.');
    expect(sent).toEqual({ require_totp_roles: ['admin', 'partner'], federal_state: 'SN' });
    expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ federal_state: 'SN' }));
  });

  it('shows the stored state, and clears it with "none"', async () => {
    render(<WorkdaysPage tenant={tenant({ federal_state: 'BY' })} onSaved={() => {}} />);
    const select = screen.getByLabelText('Bundesland (für Arbeitstage und Feiertage)') as HTMLSelectElement;
    expect(select.value).toBe('BY');
    await userEvent.selectOptions(select, '');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    await screen.findByText('Das Bundesland wurde gespeichert.');
    expect(sent).toEqual({ require_totp_roles: ['admin', 'partner'], federal_state: '' });
  });

  it('speaks English, the states sorted by their English names', async () => {
    await i18n.changeLanguage('en');
    const { unmount } = render(<WorkdaysPage tenant={tenant({ federal_state: 'NW' })} onSaved={() => {}} />);
    const select = screen.getByLabelText('Federal state (for working days and public holidays)') as HTMLSelectElement;
    const names = optionTexts(select);
    expect(names[0]).toBe('— none (nationwide public holidays only) —');
    expect(names.slice(1)).toEqual([
      'Baden-Württemberg',
      'Bavaria',
      'Berlin',
      'Brandenburg',
      'Bremen',
      'Hamburg',
      'Hesse',
      'Lower Saxony',
      'Mecklenburg-Western Pomerania',
      'North Rhine-Westphalia',
      'Rhineland-Palatinate',
      'Saarland',
      'Saxony',
      'Saxony-Anhalt',
      'Schleswig-Holstein',
      'Thuringia',
    ]);
    expect(select.selectedOptions[0].textContent).toBe('North Rhine-Westphalia');
    unmount();
    await i18n.changeLanguage('de');
  });
});
