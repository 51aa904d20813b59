// The app's modules. Navigation and the start page show those that exist and that the
// person's role in the current tenant may use. Later modules (projects, meetings,
// workspaces, wiki) add an entry here.
import type { Role } from './api/client';

export interface ModuleDef {
  id: 'start' | 'documents' | 'committees' | 'workspaces' | 'notifications' | 'addressbook' | 'guests' | 'profile' | 'admin';
  /** i18n keys of the label and the start-page description */
  label: string;
  description: string;
  icon: string;
  href: (slug: string | undefined) => string;
  /** Whether a role in the current tenant may use the module */
  allowed: (role: Role | undefined) => boolean;
  /** Shown as a card on the start page */
  onStart: boolean;
  /** Further areas of the tenant (path segments after /t/:slug/) where the entry counts as current */
  alsoActive?: readonly string[];
}

export const MODULES: readonly ModuleDef[] = [
  { id: 'start', label: 'nav.start', description: '', icon: 'home', href: (s) => (s ? `/t/${s}` : '/'), allowed: () => true, onStart: false },
  // Every member but guests: what they see inside follows the folder permissions. Guests
  // (partners) reach their workspaces' folders from the workspace pages.
  { id: 'documents', label: 'nav.documents', description: 'start.modules.documents', icon: 'draft', href: (s) => `/t/${s}/documents`, allowed: (r) => r !== 'partner', onStart: true },
  // Every member but guests: the list shows the committees they hold a seat in (admins: all).
  { id: 'committees', label: 'nav.committees', description: 'start.modules.committees', icon: 'calendar-today', href: (s) => `/t/${s}/committees`, allowed: (r) => r !== 'partner', onStart: true, alsoActive: ['meetings', 'polls'] },
  // Staff and administrators: the workspaces they belong to, the open ones to join (admins: all);
  // guests: the workspaces they were invited into.
  { id: 'workspaces', label: 'nav.workspaces', description: 'start.modules.workspaces', icon: 'dehaze', href: (s) => `/t/${s}/workspaces`, allowed: (r) => r === 'staff' || r === 'admin' || r === 'partner', onStart: true, alsoActive: ['consultations'] },
  // Guests: their navigation is Start, Arbeitsräume, Benachrichtigungen and the profile
  // (everyone else reaches the notifications through the bell).
  { id: 'notifications', label: 'nav.notifications', description: 'start.modules.notifications', icon: 'info', href: (s) => `/t/${s}/notifications`, allowed: (r) => r === 'partner', onStart: false },
  // Staff and administrators: committee-only members and partners do not use the address book.
  { id: 'addressbook', label: 'nav.addressbook', description: 'start.modules.addressbook', icon: 'mail', href: (s) => `/t/${s}/addressbook`, allowed: (r) => r === 'admin' || r === 'staff', onStart: true },
  // Staff: the guests they sponsor ("Meine Gäste"); administrators reach the access review
  // of all guests from the admin console.
  { id: 'guests', label: 'nav.guests', description: 'start.modules.guests', icon: 'account-circle', href: (s) => `/t/${s}/guests`, allowed: (r) => r === 'staff', onStart: true },
  { id: 'profile', label: 'nav.profile', description: 'start.modules.profile', icon: 'account-circle', href: () => '/profile', allowed: () => true, onStart: true },
  { id: 'admin', label: 'nav.admin', description: 'start.modules.admin', icon: 'checklist', href: (s) => `/t/${s}/admin`, allowed: (r) => r === 'admin', onStart: true },
];

export function modulesFor(role: Role | undefined, slug: string | undefined): ModuleDef[] {
  return MODULES.filter((m) => m.allowed(role) && (slug !== undefined || m.id === 'profile'));
}
