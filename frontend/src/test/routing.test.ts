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
    // Staff reach the guests they sponsor ("Meine Gäste") from the navigation; administrators from the admin console.
    expect(modulesFor('staff', 'demo').map((m) => m.id)).toEqual(['start', 'documents', 'committees', 'workspaces', 'addressbook', 'guests', 'profile']);
    expect(modulesFor('committee', 'demo').map((m) => m.id)).not.toContain('workspaces');
    expect(modulesFor('committee', 'demo').map((m) => m.id)).not.toContain('addressbook');
    expect(modulesFor('committee', 'demo').map((m) => m.id)).not.toContain('guests');
    expect(modulesFor('committee', 'demo').map((m) => m.id)).toContain('committees');
    expect(modulesFor(undefined, undefined).map((m) => m.id)).toEqual(['profile']);
  });

  it('gives guests (partners) only Start, Arbeitsräume, Benachrichtigungen and the profile', () => {
    expect(modulesFor('partner', 'demo').map((m) => m.id)).toEqual(['start', 'workspaces', 'notifications', 'profile']);
    expect(modulesFor('partner', 'demo').find((m) => m.id === 'notifications')?.href('demo')).toBe('/t/demo/notifications');
    // The notifications entry is the guests' own: everyone else has the bell.
    expect(modulesFor('staff', 'demo').map((m) => m.id)).not.toContain('notifications');
  });
});

describe('tokenFromHash', () => {
  it('reads the invitation token from the fragment', () => {
    expect(tokenFromHash('#token=abc%2Bdef')).toBe('abc+def');
    expect(tokenFromHash('')).toBe('');
  });
});
