import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter } from 'react-router';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { DocsContext, type DocsContextValue } from './context';
import { Directory } from './directory';
import { FakeXHR } from './testing/fakeXhr';
import { FolderCache } from './trail';
import { UploadPanel } from './UploadPanel';

const ctx: DocsContextValue = {
  slug: 'demo',
  role: 'staff',
  isAdmin: false,
  membershipId: 'm1',
  directory: new Directory(null),
  folders: new FolderCache(),
};

const created = (id: string, title: string) => ({ document: { id, title, folder_id: 'f1' }, revision: { id: `r-${id}`, number: 1 } });

beforeEach(async () => {
  FakeXHR.instances = [];
  resetCsrfToken();
  await i18n.changeLanguage('de');
  vi.stubGlobal('XMLHttpRequest', FakeXHR);
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify({ csrf_token: 'tok' }), { status: 200, headers: { 'Content-Type': 'application/json' } })),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('UploadPanel', () => {
  it('uploads chosen files two at a time with per-file and overall progress, shows a refusal and offers a retry', async () => {
    const onUploaded = vi.fn();
    render(
      <MemoryRouter>
        <DocsContext.Provider value={ctx}>
          <UploadPanel folderId="f1" onUploaded={onUploaded} />
        </DocsContext.Provider>
      </MemoryRouter>,
    );
    const input = screen.getByLabelText('Dateien auswählen');
    await userEvent.upload(input, [
      new File([new Uint8Array(100)], 'Antrag.pdf', { type: 'application/pdf' }),
      new File([new Uint8Array(300)], 'Plan.png', { type: 'image/png' }),
      new File([new Uint8Array(600)], 'Notiz.txt', { type: 'text/plain' }),
    ]);
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(2));
    expect(FakeXHR.instances[0].url).toBe('/api/v1/t/demo/folders/f1/files?file_name=Antrag.pdf');
    expect(FakeXHR.instances[0].headers['X-CSRF-Token']).toBe('tok');
    await waitFor(() => expect(screen.getByRole('status', { name: '' }).textContent).toBe('3 Dateien werden hochgeladen.'));

    const [a, b] = FakeXHR.instances;
    act(() => a.progress(50, 100));
    expect(screen.getByRole('progressbar', { name: 'Fortschritt von Antrag.pdf' }).getAttribute('value')).toBe('50');
    expect(screen.getByLabelText(/Gesamtfortschritt: 0 von 3 Dateien fertig, 5 %/)).toBeTruthy();

    act(() => a.respond(201, created('d1', 'Antrag.pdf')));
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(3)); // the third starts when a slot frees
    expect(onUploaded).toHaveBeenCalledWith(created('d1', 'Antrag.pdf'));
    const doneItem = screen.getByText('Antrag.pdf').closest('li') as HTMLElement;
    expect(within(doneItem).getByRole('link', { name: /Dokument öffnen/ }).getAttribute('href')).toBe('/t/demo/documents/d/d1');

    act(() =>
      b.respond(409, { code: 'conflict', status: 409, title: 'Konflikt', detail: 'In diesem Ordner gibt es bereits ein Dokument mit diesem Titel.' }),
    );
    const failed = (await screen.findByText(/bereits ein Dokument mit diesem Titel/)).closest('li') as HTMLElement;
    expect(failed.getAttribute('data-status')).toBe('failed');
    await waitFor(() => expect(screen.getByRole('status', { name: '' }).textContent).toBe('Plan.png konnte nicht hochgeladen werden.'));

    act(() => FakeXHR.instances[2].respond(201, created('d3', 'Notiz.txt')));
    await waitFor(() => expect(screen.getByRole('status', { name: '' }).textContent).toBe('Hochladen beendet: 2 gespeichert, 1 fehlgeschlagen.'));
    expect(screen.getByLabelText(/Gesamtfortschritt: 2 von 3 Dateien fertig, 100 %/)).toBeTruthy();

    await userEvent.click(within(failed).getByRole('button', { name: /Erneut versuchen/ }));
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(4));
    expect(FakeXHR.instances[3].url).toContain('file_name=Plan.png');
    act(() => FakeXHR.instances[3].respond(201, created('d2', 'Plan (2).png')));
    await waitFor(() => expect(onUploaded).toHaveBeenCalledTimes(3));
  });

  it('cancels a running upload', async () => {
    render(
      <MemoryRouter>
        <DocsContext.Provider value={ctx}>
          <UploadPanel folderId="f1" onUploaded={() => undefined} />
        </DocsContext.Provider>
      </MemoryRouter>,
    );
    await userEvent.upload(screen.getByLabelText('Dateien auswählen'), [new File([new Uint8Array(10)], 'a.pdf')]);
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(1));
    await userEvent.click(screen.getByRole('button', { name: /^Abbrechen\W+a\.pdf$/ }));
    expect(FakeXHR.instances[0].aborted).toBe(true);
    expect(screen.getByText('a.pdf').closest('li')?.getAttribute('data-status')).toBe('cancelled');
  });
});
