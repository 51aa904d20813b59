import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/problem';
import { FakeXHR } from './testing/fakeXhr';
import { sendFile, UploadCancelled } from './upload';

const token = vi.fn(async (renew: boolean) => (renew ? 'token-2' : 'token-1'));
const start = (extra: Partial<Parameters<typeof sendFile>[0]> = {}) =>
  sendFile({ method: 'POST', url: '/api/v1/t/demo/folders/f1/files?file_name=a.pdf', file: new Blob(['%PDF-1.4']), xhr: () => new FakeXHR() as unknown as XMLHttpRequest, token, ...extra });
const sent = async (n: number) => {
  await vi.waitFor(() => expect(FakeXHR.instances.length).toBe(n));
  return FakeXHR.instances[n - 1];
};
const created = { document: { id: 'd1', title: 'a.pdf' }, revision: { id: 'r1', number: 1 } };

beforeEach(() => {
  FakeXHR.instances = [];
  token.mockClear();
});

describe('sendFile', () => {
  it('sends the raw bytes with the CSRF token, If-Match and language, reports progress, resolves with the document', async () => {
    const progress = vi.fn();
    const h = start({ method: 'PUT', ifMatch: '"3"', onProgress: progress });
    const x = await sent(1);
    expect(x.method).toBe('PUT');
    expect(x.headers).toMatchObject({ 'X-CSRF-Token': 'token-1', 'If-Match': '"3"', 'Content-Type': 'application/octet-stream', 'Accept-Language': 'de' });
    expect(x.body).toBeInstanceOf(Blob);
    x.progress(4, 8);
    x.progress(8, 8);
    expect(progress.mock.calls).toEqual([
      [4, 8],
      [8, 8],
    ]);
    x.respond(201, created);
    await expect(h.promise).resolves.toEqual(created);
  });

  it('turns a problem into an ApiError with the server’s detail (413 over quota)', async () => {
    const h = start();
    const x = await sent(1);
    x.respond(413, { type: 'urn:kollab:problem:too-large', title: 'Zu groß', status: 413, code: 'too-large', detail: 'Das Speicherkontingent ist erschöpft.' });
    const err = await h.promise.catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 413, code: 'too-large', detail: 'Das Speicherkontingent ist erschöpft.' });
  });

  it('renews the CSRF token and sends once more on csrf-failed', async () => {
    const h = start();
    (await sent(1)).respond(403, { code: 'csrf-failed', status: 403 });
    const second = await sent(2);
    expect(second.headers['X-CSRF-Token']).toBe('token-2');
    second.respond(201, created);
    await expect(h.promise).resolves.toEqual(created);
    expect(token.mock.calls).toEqual([[false], [true]]);
  });

  it('does not retry other refusals', async () => {
    const h = start();
    (await sent(1)).respond(403, { code: 'forbidden', status: 403, detail: 'Keine Schreibberechtigung.' });
    await expect(h.promise).rejects.toMatchObject({ code: 'forbidden' });
    expect(FakeXHR.instances).toHaveLength(1);
  });

  it('cancels: before sending (while the token loads) and while sending', async () => {
    const early = start();
    early.abort();
    await expect(early.promise).rejects.toBeInstanceOf(UploadCancelled);
    expect(FakeXHR.instances).toHaveLength(0);
    const h = start();
    const x = await sent(1);
    h.abort();
    expect(x.aborted).toBe(true);
    await expect(h.promise).rejects.toBeInstanceOf(UploadCancelled);
  });

  it('reports a lost connection as a network problem', async () => {
    const h = start();
    (await sent(1)).fail();
    await expect(h.promise).rejects.toMatchObject({ code: 'network' });
  });
});
