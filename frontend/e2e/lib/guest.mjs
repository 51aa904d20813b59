// A guest's first steps, shared by the guests and consultations parts: open
// the invitation link, create the account, enrol the second factor every
// guest must use, confirm the recovery codes, land on the start page.
import { Authenticator } from './totp.mjs';

/** Accepts the invitation at link as person {name, password} in page g; returns the guest's authenticator. */
export async function acceptAsGuest(g, link, person) {
  const heading = (text) => g.locator('h1', { hasText: text }).first().waitFor({ timeout: 15_000 });
  await g.goto(link);
  await heading('Einladung zu');
  await g.getByLabel('Ihr Name').fill(person.name);
  await g.getByLabel('Passwort wählen').fill(person.password);
  await g.getByLabel('Neues Passwort wiederholen').fill(person.password);
  await g.getByRole('button', { name: 'Einladung annehmen' }).click();
  await heading('Zwei-Faktor-Anmeldung einrichten'); // guests always need a second factor
  const auth = new Authenticator(await g.getByTestId('totp-secret').getAttribute('data-secret'));
  await g.getByLabel('Code aus der App').fill(await auth.nextCode());
  await g.getByRole('button', { name: 'Einrichtung bestätigen' }).click();
  await g.getByLabel('Ich habe die Codes sicher aufbewahrt.').check();
  await g.getByRole('button', { name: 'Weiter' }).click();
  await heading(`Willkommen, ${person.name}`);
  return auth;
}
