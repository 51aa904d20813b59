// Uploads with XMLHttpRequest: fetch cannot report upload progress. The request carries
// what the app's fetch wrapper adds to every write (CSRF token, Accept-Language) and is
// sent once more with a fresh token when the server answers csrf-failed.
import { apiLanguage, CSRF_HEADER, reportProblem, writeToken } from '../api/client';
import { ApiError, problemCode, toProblem, parseRetryAfter } from '../api/problem';
import type { DocumentView, RevisionView } from './model';

export interface UploadResult {
  document: DocumentView;
  revision: RevisionView;
}

export class UploadCancelled extends Error {
  constructor() {
    super('upload cancelled');
    this.name = 'UploadCancelled';
  }
}

export interface UploadOptions {
  method: 'POST' | 'PUT';
  url: string;
  file: Blob;
  ifMatch?: string;
  onProgress?: (loaded: number, total: number) => void;
  /** Injectable for tests. */
  xhr?: () => XMLHttpRequest;
  token?: (renew: boolean) => Promise<string>;
}

export interface UploadHandle {
  promise: Promise<UploadResult>;
  abort: () => void;
}

function problemOf(status: number, text: string, retryAfter: string | null): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const p = toProblem(body);
  return new ApiError({
    status,
    code: problemCode(p, status),
    title: p.title,
    detail: p.detail,
    field: p.field,
    errors: p.errors ?? undefined,
    retryAfter: parseRetryAfter(retryAfter),
  });
}

/** Sends a file as the raw request body; resolves with the created document and revision. */
export function sendFile(opts: UploadOptions): UploadHandle {
  const make = opts.xhr ?? (() => new XMLHttpRequest());
  const token = opts.token ?? writeToken;
  let current: XMLHttpRequest | null = null;
  let aborted = false;

  const once = (csrf: string) =>
    new Promise<{ status: number; text: string; retryAfter: string | null }>((resolve, reject) => {
      if (aborted) {
        reject(new UploadCancelled());
        return;
      }
      const xhr = make();
      current = xhr;
      xhr.open(opts.method, opts.url);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('Accept-Language', apiLanguage());
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.setRequestHeader(CSRF_HEADER, csrf);
      if (opts.ifMatch) xhr.setRequestHeader('If-Match', opts.ifMatch);
      xhr.upload.onprogress = (e: ProgressEvent) => opts.onProgress?.(e.loaded, e.lengthComputable ? e.total : opts.file.size);
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText, retryAfter: xhr.getResponseHeader('Retry-After') });
      xhr.onerror = () => reject(ApiError.network());
      xhr.onabort = () => reject(new UploadCancelled());
      xhr.send(opts.file);
    });

  const run = async (): Promise<UploadResult> => {
    let res = await once(await token(false));
    if (res.status === 403 && !aborted) {
      const err = problemOf(res.status, res.text, null);
      if (err.code === 'csrf-failed') res = await once(await token(true));
    }
    if (res.status >= 200 && res.status < 300) return JSON.parse(res.text) as UploadResult;
    const err = problemOf(res.status, res.text, res.retryAfter);
    reportProblem(err, new URL(opts.url, globalThis.location?.origin ?? 'http://localhost').pathname);
    throw err;
  };

  return {
    promise: run(),
    abort: () => {
      aborted = true;
      current?.abort();
    },
  };
}
