// Test fixtures of the consultation screens.
import type { ActivityEntry, Consultation, Statement } from './model';

export const cons = (over: Partial<Consultation> = {}): Consultation => ({
  id: 'k1',
  subject: 'Ersatzneubau Brücke',
  description: '',
  questions: ['Spannweite?', 'Bauzeit?'],
  deadline: '2026-12-14T11:00:00Z',
  state: 'open',
  accepting: true,
  can_manage: true,
  created_at: '2026-12-01T10:00:00Z',
  created_by: 'm1',
  updated_at: '2026-12-01T10:00:00Z',
  documents: [],
  invitees: [
    { organisation_id: 'o1', name: 'Statik Nord', invited_at: '2026-12-01T10:00:00Z', versions: 1, submitted_at: '2026-12-05T10:00:00Z' },
    { organisation_id: 'o2', name: 'Umweltbüro Süd', invited_at: '2026-12-01T10:00:00Z', versions: 0 },
  ],
  version: 3,
  workspace_id: 'w1',
  workspace_name: 'Brücke Mühlbach',
  ...over,
});

export const statement = (over: Partial<Statement> = {}): Statement => ({
  id: 's1',
  consultation_id: 'k1',
  organisation_id: 'o1',
  organisation_name: 'Statik Nord',
  updated_at: '2026-12-05T10:00:00Z',
  submitted_at: '2026-12-05T10:00:00Z',
  versions: 1,
  latest: {
    number: 1,
    answers: ['24 m tragen.', 'Nachts sperren.'],
    body: 'Wir stimmen zu.',
    author_id: 'g1',
    author_name: 'Erika Ingenieurin',
    channel: 'online',
    created_at: '2026-12-05T10:00:00Z',
    received_at: '2026-12-05T10:00:00Z',
    files: [{ document_id: 'd9', file_name: 'Nachweis.pdf', revision_id: 'r9' }],
  },
  ...over,
});

export const entry = (over: Partial<ActivityEntry> = {}): ActivityEntry => ({
  id: 'a1',
  kind: 'document.created',
  actor_id: 'm2',
  actor_name: 'Erika Ingenieurin',
  subject_name: '',
  object_type: 'document',
  object_id: 'd1',
  object_title: 'Statik.pdf',
  created_at: '2026-12-07T09:55:00Z',
  ...over,
});
