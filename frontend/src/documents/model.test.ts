import { describe, expect, it } from 'vitest';
import { can, contentURL, etag, formatBytes, metadataRows, parseTags, previewKind, revisionUploadURL, rowsToMetadata, shortHash, typeLabel, uploadURL } from './model';

describe('document helpers', () => {
  it('compares access levels', () => {
    expect(can('manage', 'write')).toBe(true);
    expect(can('write', 'write')).toBe(true);
    expect(can('read', 'write')).toBe(false);
    expect(can(undefined, 'read')).toBe(false);
    expect(can('bogus', 'read')).toBe(false);
  });

  it('builds URLs with encoded parts', () => {
    expect(etag(7)).toBe('"7"');
    expect(contentURL('demo', 'd1')).toBe('/api/v1/t/demo/documents/d1/content');
    expect(contentURL('demo', 'd1', { revision: 'r2', inline: true })).toBe('/api/v1/t/demo/documents/d1/revisions/r2/content?disposition=inline');
    expect(uploadURL('demo', 'f1', 'Bericht & Plan #1.pdf')).toBe('/api/v1/t/demo/folders/f1/files?file_name=Bericht+%26+Plan+%231.pdf');
    expect(revisionUploadURL('demo', 'd1', 'a.pdf', 'Fassung 2')).toBe('/api/v1/t/demo/documents/d1/content?file_name=a.pdf&comment=Fassung+2');
  });

  it('knows which types preview in the browser', () => {
    expect(previewKind('application/pdf')).toBe('pdf');
    expect(previewKind('image/png')).toBe('image');
    expect(previewKind('IMAGE/JPEG; foo=bar')).toBe('image');
    expect(previewKind('image/svg+xml')).toBe('none'); // never inline: scripts
    expect(previewKind(undefined)).toBe('none');
  });

  it('formats sizes and types for people', () => {
    expect(formatBytes(0, 'de')).toBe('0 B');
    expect(formatBytes(1536, 'de')).toBe('1,5 KB');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024 * 1024, 'de')).toBe('5 GB');
    expect(formatBytes(undefined, 'de')).toBe('');
    expect(typeLabel('application/pdf')).toBe('PDF');
    expect(typeLabel('image/png')).toBe('PNG');
    expect(typeLabel('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('DOCX');
    expect(typeLabel('application/octet-stream')).toBe('');
  });

  it('reads tags and free fields from the form', () => {
    expect(parseTags(' Bau, Frist ,, Bau ,')).toEqual(['Bau', 'Frist']);
    expect(metadataRows({ z: '1', a: '2' })).toEqual([
      { key: 'a', value: '2' },
      { key: 'z', value: '1' },
    ]);
    expect(
      rowsToMetadata([
        { key: 'Antragsteller', value: 'Erika' },
        { key: '', value: '' },
        { key: '2nd', value: 'x' },
        { key: 'Antragsteller', value: 'Max' },
        { key: 'frist_bis', value: '2026-06-30' },
      ]),
    ).toEqual({ metadata: { Antragsteller: 'Erika', frist_bis: '2026-06-30' }, invalid: [2], duplicate: [3] });
    expect(shortHash('e7c3821a0a4191aedf6e')).toBe('e7c3821a0a41');
  });
});
