// The address book's types and addresses (Adressverzeichnis: organisations and their
// contact people, import and export).
import { api, reportProblem, type Schemas } from '../api/client';
import { ApiError } from '../api/problem';

export type Organisation = Schemas['OrganisationView'];
export type Contact = Schemas['ContactView'];
export type ImportReport = Schemas['ImportReportView'];
export type ImportRow = Schemas['ImportRowView'];
export type Kind = Organisation['kind'];
export const KINDS: readonly Kind[] = ['authority', 'company', 'association', 'other'];
export type FileFormat = 'csv' | 'vcard';

export const addressBase = (slug: string) => `/t/${slug}/addressbook`;
export const organisationHref = (slug: string, id: string) => `${addressBase(slug)}/${id}`;
export const importHref = (slug: string) => `${addressBase(slug)}/import`;

/** A version as the entity tag If-Match expects: 7 → "7". */
export const etag = (version: number) => `"${version}"`;

/** The format of a chosen file, from its name (vCard: .vcf/.vcard), else CSV. */
export function formatOf(fileName: string): FileFormat {
  return /\.(vcf|vcard)$/i.test(fileName) ? 'vcard' : 'csv';
}

/** The problem of a failed import or export, told to the problem listeners (session expiry). */
function failed(response: Response, error: unknown): ApiError {
  const err = ApiError.from(response, error);
  reportProblem(err, new URL(response.url || 'http://x/').pathname);
  return err;
}

/** Sends a file to the import (preview or apply); the server's problem becomes an ApiError. */
export async function importFile(slug: string, file: Blob, format: FileFormat, mode: 'preview' | 'apply'): Promise<ImportReport> {
  const { data, error, response } = await api.POST('/api/v1/t/{tenant}/organisations/import', {
    params: { path: { tenant: slug }, query: { format, mode } },
    body: file as unknown as string,
    bodySerializer: (b: unknown) => b as BodyInit,
    headers: { 'Content-Type': format === 'vcard' ? 'text/vcard' : 'text/csv' },
  });
  if (!response.ok || !data) throw failed(response, error);
  return data;
}

/** The file name the server's Content-Disposition gives, or a fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const m = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  return m?.[1] ?? fallback;
}

/** Fetches the export and offers it as a download (a blob: URL, allowed by the CSP). */
export async function exportFile(slug: string, format: FileFormat): Promise<string> {
  const { data, error, response } = await api.GET('/api/v1/t/{tenant}/organisations/export', {
    params: { path: { tenant: slug }, query: { format } },
    parseAs: 'blob',
  });
  if (!response.ok || !data) throw failed(response, error);
  const name = fileNameOf(response.headers.get('Content-Disposition'), format === 'vcard' ? 'adressverzeichnis.vcf' : 'adressverzeichnis.csv');
  const url = URL.createObjectURL(data as unknown as Blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return name;
}

/** An organisation's address in one line: street, postcode and city, country. */
export function addressLine(o: Pick<Organisation, 'street' | 'postcode' | 'city' | 'country'>): string {
  const place = [o.postcode, o.city].filter(Boolean).join(' ');
  return [o.street, place, o.country].filter(Boolean).join(', ');
}
