import { expect, test, uniqueUser } from './fixtures';
import { newPage, PASSWORD } from './helpers';

test('register, log in, edit the profile, log out', async ({ browser, server }) => {
  const { context, page } = await newPage(browser, server);
  const username = uniqueUser('reg');

  await page.goto('/#/register');
  await expect(page.getByRole('status')).toHaveText('Connected');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Display name').fill('Regina');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Account created. Log in to continue.')).toBeVisible();

  // The login form remembers the new username and asks for the password only.
  await expect(page.getByLabel('Username')).toHaveValue(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Regina' })).toBeVisible();

  await page.getByRole('button', { name: 'Regina' }).click();
  await page.getByLabel('Display name').fill('Regina Phalange');
  await page.getByLabel('Bio').fill('Plays the piano.');
  await page.getByRole('radio', { name: 'Owl' }).check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Saved')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Regina Phalange' })).toBeVisible();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByText('You have logged out.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();

  // The profile was saved on the server: it is still there after logging in again.
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Regina Phalange' })).toBeVisible();
  await context.close();
});
