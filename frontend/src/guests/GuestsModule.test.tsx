import { render, screen } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import AdminConsole from '../admin/AdminConsole';
import { resetCsrfToken, type TenantRef } from '../api/client';
import i18n from '../i18n';
import { notificationHref } from '../notifications/links';
import GuestsModule from './GuestsModule';
import { fakeServer, guest, json, ME } from './testing';

const G = guest();
const tenant = (role: TenantRef['role']): TenantRef => ({ slug: 'demo', name: 'Demo', role, status: 'active', totp_required: false, usable: true });

/** The app's routes around the module, with the tenant as TenantGate hands it down. */
function at(path: string, role: TenantRef['role']) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/t/:slug" element={<Outlet context={{ tenant: tenant(role) }} />}>
          <Route path="guests/*" element={<GuestsModule />} />
          <Route path="admin/*" element={<AdminConsole />} />
        </Route>
      </Routes>
    </MemoryRouter>,
  );
}

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
  fakeServer((req) => {
    const p = new URL(req.url).pathname;
    if (p === '/api/v1/t/demo') return json({ membership_id: ME, name: 'Demo', role: 'admin', slug: 'demo', settings: { require_totp_roles: [] } });
    if (p === '/api/v1/t/demo/guests') return json({ guests: [G], truncated: false });
    if (p === `/api/v1/t/demo/guests/${G.membership_id}`) return json(G);
    if (p === '/api/v1/t/demo/members') return json({ members: [] });
    return json({ status: 404, code: 'not-found', title: 'Nicht gefunden' }, 404);
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('the guests module', () => {
  it('a guest.expiring notification leads to the guest’s page', async () => {
    const href = notificationHref('demo', `guests/${G.membership_id}`)!;
    expect(href).toBe(`/t/demo/guests/${G.membership_id}`);
    at(href, 'staff');
    expect(await screen.findByRole('heading', { level: 1, name: 'Gerda Gast' })).toBeTruthy();
  });

  it('is for staff and administrators only', async () => {
    at('/t/demo/guests', 'committee');
    expect(screen.getByText('Gäste betreuen Beschäftigte und die Verwaltung.')).toBeTruthy();
  });

  it('administrators reach the access review from the admin console’s navigation', async () => {
    at('/t/demo/admin/policy', 'admin');
    const nav = await screen.findByRole('navigation', { name: /./ });
    const link = (await screen.findByRole('link', { name: 'Zugangsprüfung (Gäste)' })) as HTMLAnchorElement;
    expect(nav.contains(link)).toBe(true);
    expect(link.getAttribute('href')).toBe('/t/demo/guests');
  });
});
