// Test helpers of the address book: a fake server behind fetch, and sample entries.
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import type { Contact, Organisation } from './model';

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers } });

/** A fake server: the CSRF token, and `handle` for every other request (all recorded). */
export function fakeServer(handle: (req: Request) => Promise<Response> | Response) {
  const seen: Request[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      if (req.url.endsWith('/auth/csrf')) return json({ csrf_token: 't' });
      seen.push(req.clone());
      return handle(req);
    }),
  );
  return seen;
}

export const inRouter = (ui: ReactNode, path = '/t/demo/addressbook') => render(<MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>);

export const ORG: Organisation = {
  id: '0190a000-0000-7000-8000-00000000000a',
  name: 'Landesamt für Umwelt',
  kind: 'authority',
  street: 'Seestraße 1',
  postcode: '14467',
  city: 'Potsdam',
  country: '',
  email: 'poststelle@lfu.example',
  phone: '',
  website: '',
  notes: '',
  contacts: 1,
  version: 3,
  created_at: '2026-05-04T10:00:00Z',
  updated_at: '2026-05-04T10:00:00Z',
};

export const CONTACT: Contact = {
  id: '0190a000-0000-7000-8000-00000000000c',
  organisation_id: ORG.id,
  organisation_name: ORG.name,
  salutation: 'Frau',
  title: 'Dr.',
  given_name: 'Erika',
  family_name: 'Muster',
  display_name: 'Dr. Erika Muster',
  function: 'Referatsleitung',
  email: 'erika.muster@lfu.example',
  phone: '',
  notes: '',
  version: 2,
  created_at: '2026-05-04T10:00:00Z',
  updated_at: '2026-05-04T10:00:00Z',
};
