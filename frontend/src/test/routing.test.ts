import { describe, expect, it } from 'vitest';
import { safeNext } from '../auth/gates';
import { modulesFor } from '../modules';
import { tokenFromHash } from '../pages/InvitePage';

describe('safeNext', () => {
  it('allows only paths inside the app', () => {
    expect(safeNext('/t/demo/admin')).toBe('/t/demo/admin');
    expect(safeNext('https://evil.example')).toBeUndefined();
    expect(safeNext('//evil.example/x')).toBeUndefined();
    expect(safeNext('/\\evil.example')).toBeUndefined();
    expect(safeNext('/login?next=/x')).toBeUndefined();
    expect(safeNext(null)).toBeUndefined();
  });
});

describe('modulesFor', () => {
  it('shows the admin console only to admins', () => {
    expect(modulesFor('admin', 'demo').map((m) => m.id)).toEqual(['start', 'documents', 'committees', 'workspaces', 'addressbook', 'profile', 'admin']);
    expect(modulesFor('staff', 'demo').map((m) => m.id)).toEqual(['start', 'documents', 'committees', 'workspaces', 'addressbook', 'profile']);
    expect(modulesFor('committee', 'demo').map((m) => m.id)).not.toContain('workspaces');
    expect(modulesFor('partner', 'demo').map((m) => m.id)).not.toContain('workspaces');
    expect(modulesFor('committee', 'demo').map((m) => m.id)).not.toContain('addressbook');
    expect(modulesFor('partner', 'demo').map((m) => m.id)).not.toContain('addressbook');
    expect(modulesFor('committee', 'demo').map((m) => m.id)).toContain('committees');
    expect(modulesFor('partner', 'demo').map((m) => m.id)).toContain('documents');
    expect(modulesFor(undefined, undefined).map((m) => m.id)).toEqual(['profile']);
  });
});

describe('tokenFromHash', () => {
  it('reads the invitation token from the fragment', () => {
    expect(tokenFromHash('#token=abc%2Bdef')).toBe('abc+def');
    expect(tokenFromHash('')).toBe('');
  });
});
