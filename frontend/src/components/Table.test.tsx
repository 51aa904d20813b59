import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import '../i18n';
import { ActionCell, Cell, Row, RowHeader, Table } from './Table';

describe('Table', () => {
  it('names its region, hides its caption and labels the actions column', () => {
    render(
      <>
        <h2 id="t-heading">Dateien</h2>
        <Table labelledBy="t-heading" caption="Dateien im Ordner" columns={['Name', 'Größe']} actions>
          <Row data-name="a.pdf">
            <RowHeader>a.pdf</RowHeader>
            <Cell>1 KB</Cell>
            <ActionCell>
              <button type="button">Löschen</button>
            </ActionCell>
          </Row>
        </Table>
      </>,
    );
    expect(screen.getByRole('region', { name: 'Dateien' })).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Dateien im Ordner' });
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Name', 'Größe', 'Aktionen']);
    expect(within(table).getByRole('rowheader', { name: 'a.pdf' }).getAttribute('scope')).toBe('row');
    expect(within(table).getByRole('cell', { name: '1 KB' })).toBeTruthy();
    expect(document.querySelector('tr[data-name="a.pdf"] .app-row-actions button')).not.toBeNull();
  });

  it('shows the empty state instead of a table without rows', () => {
    render(
      <Table label="Liste" columns={['Name']} empty={<p>Nichts da.</p>}>
        {[].map(() => null)}
      </Table>,
    );
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('Nichts da.')).toBeTruthy();
  });

  it('marks the sorted column and sorts on a click of any sortable header', async () => {
    const onSort = vi.fn();
    render(
      <Table
        label="Liste"
        columns={[
          { label: 'Name', sort: { key: 'name', direction: 'desc', onSort: () => onSort('name') } },
          { label: 'Größe', sort: { key: 'size', onSort: () => onSort('size') } },
          'Typ',
        ]}
      >
        <Row>
          <Cell>a</Cell>
          <Cell>1</Cell>
          <Cell>pdf</Cell>
        </Row>
      </Table>,
    );
    const name = screen.getByRole('columnheader', { name: /Name/ });
    expect(name.getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('columnheader', { name: /Größe/ }).hasAttribute('aria-sort')).toBe(false);
    expect(screen.getByRole('columnheader', { name: 'Typ' }).querySelector('button')).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: /Größe/ }));
    expect(onSort).toHaveBeenCalledWith('size');
  });
});
