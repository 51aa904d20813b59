import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import { entry } from '../consultations/testing';
import { fakeServer, inModule, json } from '../guests/testing';
import i18n from '../i18n';
import { activityHref, activityKey, activitySentence } from './activity';
import { ActivitySection } from './ActivitySection';

const FEED = '/api/v1/t/demo/workspaces/w1/activity';

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

describe('activity sentences', () => {
  const t = i18n.getFixedT('de');
  it('says who did what in German', () => {
    expect(activitySentence(entry(), t)).toBe('Erika Ingenieurin hat „Statik.pdf“ hochgeladen');
    expect(activitySentence(entry({ kind: 'member.added', actor_name: 'Anna Admin', subject_id: 'm3', subject_name: 'Erika Ingenieurin', object_type: 'workspace' }), t)).toBe('Anna Admin hat Erika Ingenieurin aufgenommen');
    expect(activitySentence(entry({ kind: 'guest.admitted', actor_id: 'm3', subject_id: 'm3', subject_name: 'Erika Ingenieurin' }), t)).toBe('Erika Ingenieurin ist als Gast beigetreten');
    expect(activitySentence(entry({ kind: 'workspace.archived', actor_id: undefined, actor_name: '' }), t)).toBe('Kollab hat den Arbeitsraum archiviert');
    // A kind this app does not know yet still reads as a sentence.
    expect(activityKey(entry({ kind: 'task.done' }))).toBe('activity.kind.other');
    expect(activitySentence(entry({ kind: 'task.done', object_title: 'Prüfen' }), t)).toBe('Erika Ingenieurin hat „Prüfen“ geändert');
    expect(activitySentence(entry(), i18n.getFixedT('en'))).toBe('Erika Ingenieurin uploaded “Statik.pdf”');
  });

  it('leads to documents that are still there and to consultations', () => {
    expect(activityHref('demo', entry())).toBe('/t/demo/documents/d/d1');
    expect(activityHref('demo', entry({ kind: 'document.trashed' }))).toBeNull();
    expect(activityHref('demo', entry({ kind: 'consultation.opened', object_type: 'consultation', object_id: 'k1' }))).toBe('/t/demo/consultations/k1');
    expect(activityHref('demo', entry({ kind: 'member.added', object_type: 'workspace', object_id: 'w1' }))).toBeNull();
  });
});

describe('the activity section', () => {
  it('lists entries newest first with relative and absolute time, and pages on with "Ältere anzeigen"', async () => {
    const seen = fakeServer((req) => {
      const url = new URL(req.url);
      if (url.pathname !== FEED) return json({ status: 404, code: 'not-found', title: 'x' }, 404);
      if (!url.searchParams.get('before')) return json({ items: [entry(), entry({ id: 'a2', kind: 'member.added', actor_name: 'Anna Admin', subject_name: 'Erika Ingenieurin', object_type: 'workspace', object_id: 'w1' })], next_before: 'a2' });
      return json({ items: [entry({ id: 'a3', kind: 'workspace.created', actor_name: 'Anna Admin', object_type: 'workspace', object_title: 'Brücke', created_at: '2026-11-01T10:00:00Z' })] });
    });
    const user = userEvent.setup();
    inModule(<ActivitySection slug="demo" workspaceId="w1" />, undefined, '/t/demo/workspaces/w1');
    const list = await screen.findByTestId('activity');
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(within(items[0]).getByRole('link', { name: 'Erika Ingenieurin hat „Statik.pdf“ hochgeladen' }).getAttribute('href')).toBe('/t/demo/documents/d/d1');
    expect(items[1].textContent).toContain('Anna Admin hat Erika Ingenieurin aufgenommen');
    const time = items[0].querySelector('time');
    expect(time?.getAttribute('datetime')).toBe('2026-12-07T09:55:00Z');
    expect(time?.textContent).toMatch(/^.+ \(07\.12\.2026, \d\d:55\)$/);
    await user.click(screen.getByRole('button', { name: 'Ältere anzeigen' }));
    expect(await within(list).findByText('Anna Admin hat den Arbeitsraum „Brücke“ angelegt')).toBeTruthy();
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    expect(seen.map((s) => s.call)).toEqual([`GET ${FEED}?limit=20`, `GET ${FEED}?limit=20&before=a2`]);
    // The last page: no pager.
    expect(screen.queryByRole('button', { name: 'Ältere anzeigen' })).toBeNull();
  });

  it('says so when nothing happened yet', async () => {
    fakeServer(() => json({ items: [] }));
    inModule(<ActivitySection slug="demo" workspaceId="w1" />, undefined, '/t/demo/workspaces/w1');
    expect(await screen.findByText('Noch keine Aktivität.')).toBeTruthy();
  });
});
