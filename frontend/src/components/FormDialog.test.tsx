import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/problem';
import '../i18n';
import { useFieldErrors } from '../lib/useFieldErrors';
import { TextField } from './Field';
import { FormDialog } from './FormDialog';

const FIELDS = ['name'] as const;

function Harness({ send, done }: { send: (name: string) => Promise<string>; done: (r: string) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const fields = useFieldErrors(FIELDS, () => 'fd-name');
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Öffnen
      </button>
      <FormDialog
        open={open}
        title="Gruppe anlegen"
        onClose={() => setOpen(false)}
        onOpen={() => setName('Vorgabe')}
        fields={fields}
        validate={() => ({ name: name.trim() ? undefined : 'validation.required' })}
        onSubmit={() => send(name.trim())}
        onDone={done}
        submitLabel="Anlegen"
      >
        <TextField id="fd-name" label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fields.errors.name} required />
      </FormDialog>
    </>
  );
}

describe('FormDialog', () => {
  it('resets on open, checks before sending, puts the server problem on its field, and closes with the result', async () => {
    const user = userEvent.setup();
    const send = vi
      .fn<(name: string) => Promise<string>>()
      .mockRejectedValueOnce(new ApiError({ status: 422, code: 'invalid-input', field: 'name', title: 'Ungültig', detail: 'Den Namen gibt es schon.' }))
      .mockRejectedValueOnce(new ApiError({ status: 409, code: 'conflict', title: 'Geändert', detail: 'Jemand war schneller.' }))
      .mockResolvedValueOnce('g1');
    const done = vi.fn();
    render(<Harness send={send} done={done} />);
    await user.click(screen.getByRole('button', { name: 'Öffnen' }));
    const field = await screen.findByLabelText(/^Name/);
    expect((field as HTMLInputElement).value).toBe('Vorgabe');
    expect(document.activeElement).toBe(field);

    await user.clear(field);
    await user.click(screen.getByRole('button', { name: 'Anlegen' }));
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(send).not.toHaveBeenCalled();

    await user.type(field, 'Bauamt');
    await user.click(screen.getByRole('button', { name: 'Anlegen' }));
    expect(await screen.findByText('Den Namen gibt es schon.')).toBeTruthy();
    expect(send).toHaveBeenLastCalledWith('Bauamt');
    expect(screen.queryByRole('alert')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Anlegen' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Jemand war schneller.');
    expect(screen.queryByText('Den Namen gibt es schon.')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Anlegen' }));
    await waitFor(() => expect(done).toHaveBeenCalledWith('g1'));
    expect(screen.queryByRole('button', { name: 'Anlegen' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Öffnen' }));
    const again = await screen.findByLabelText(/^Name/);
    expect((again as HTMLInputElement).value).toBe('Vorgabe');
    expect(again.getAttribute('aria-invalid')).not.toBe('true');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
