// Test helpers of the guest screens: a fake server behind fetch, sample guests, and the
// module's context around a page.
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { DocsContext, type DocsContextValue } from '../documents/context';
import { Directory } from '../documents/directory';
import { FolderCache } from '../documents/trail';
import type { GuestView } from './api';

export const ME = '0190a000-0000-7000-8000-000000000001';
export const SPONSOR2 = '0190a000-0000-7000-8000-000000000002';
export const ORG = '0190a000-0000-7000-8000-00000000000a';
export const ORG2 = '0190a000-0000-7000-8000-00000000000b';

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

export interface Seen {
  call: string;
  body: unknown;
}

/** A fake server: the CSRF token, and `handle` for every other request (method, path with query, and body recorded). */
export function fakeServer(handle: (req: Request, body: unknown) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      if (req.url.endsWith('/auth/csrf')) return json({ csrf_token: 't' });
      const url = new URL(req.url);
      const text = req.method === 'GET' ? '' : await req.clone().text();
      const body = text ? JSON.parse(text) : undefined;
      seen.push({ call: `${req.method} ${url.pathname}${url.search}`, body });
      return handle(req, body);
    }),
  );
  return seen;
}

export const guest = (over: Partial<GuestView> = {}): GuestView => ({
  membership_id: '0190a000-0000-7000-8000-0000000000c1',
  email: 'gerda@planungsbuero.example',
  display_name: 'Gerda Gast',
  state: 'active',
  sponsor_id: ME,
  sponsor_name: 'Sabine Sachbearbeiterin',
  organisation_id: ORG,
  organisation_name: 'Planungsbüro Nord',
  last_sign_in_at: '2026-11-30T09:15:00Z',
  expires_at: '2027-03-01T23:00:00Z',
  expires_on: '2027-03-01',
  totp_enabled: true,
  workspaces: [{ id: 'w1', name: 'Radweg Nord', role: 'member' }],
  version: 2,
  ...over,
});

const directory = new Directory({
  resolve: async () => ({ members: [], groups: [] }),
  search: async () => ({
    members: [{ id: SPONSOR2, name: 'Paul Planer', email: 'paul@amt.example', role: 'staff' as const, active: true }],
    groups: [],
  }),
});

export const docs = (over: Partial<DocsContextValue> = {}): DocsContextValue => ({
  slug: 'demo',
  role: 'staff',
  isAdmin: false,
  membershipId: ME,
  directory,
  folders: new FolderCache(),
  ...over,
});

export const inModule = (ui: ReactNode, value: DocsContextValue = docs(), path = '/t/demo/guests') =>
  render(
    <MemoryRouter initialEntries={[path]}>
      <DocsContext.Provider value={value}>{ui}</DocsContext.Provider>
    </MemoryRouter>,
  );
