import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import '../i18n';
import { Dialog } from './Dialog';
import { TextField } from './Field';

function Harness({ withField }: { withField: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Öffnen
      </button>
      <Dialog open={open} title="Gruppe anlegen" onClose={() => setOpen(false)}>
        {withField ? <TextField id="f-name" label="Name" value="" onChange={() => undefined} /> : <p>Wirklich löschen?</p>}
      </Dialog>
    </>
  );
}

describe('Dialog', () => {
  it('focuses its first form field, not the close button', async () => {
    render(<Harness withField />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Öffnen' }));
    const field = await screen.findByLabelText('Name');
    expect(document.activeElement).toBe(field);
  });

  it('focuses its heading when it has no form field', async () => {
    render(<Harness withField={false} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Öffnen' }));
    const heading = await screen.findByRole('heading', { name: 'Gruppe anlegen', hidden: true });
    expect(document.activeElement).toBe(heading);
  });
});
