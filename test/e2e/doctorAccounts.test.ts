// A doctor's first visit in Chromium: the setup link creates the account,
// the dashboard invites a colleague, signing out and in again works.
import assert from 'node:assert/strict';
import { E2eSession } from '../helpers/e2eSession';
import { bodyText, clickButton as click, fillField as fill } from '../helpers/pageActions';

describe('doctor accounts in Chromium', function () {
  this.timeout(60_000);
  const e2e = E2eSession.inSuite();

  it('sets up the first account, invites a colleague, signs out and back in', async () => {
    const base = e2e.url('');
    const { token } = e2e.server.accounts.createSetupInvitation();
    const page = await e2e.newPage('doctor');

    await page.goto(`${base}/setup#${token}`);
    await fill(page, 'Your name as patients will see it', 'Dr. Jonas Weber');
    await fill(page, 'E-mail address', 'weber@clinic.example');
    await fill(page, 'Choose a password', 'a long enough secret');
    await Promise.all([page.waitForNavigation(), click(page, 'Create account')]);
    assert.equal(new URL(page.url()).pathname, '/dashboard');
    await page.waitForFunction(`document.body.innerText.includes('Signed in as Dr. Jonas Weber')`);

    await click(page, 'Create an invitation link');
    const linkField = await page.waitForSelector('::-p-aria(Invitation link for your colleague)');
    const invitationUrl = await linkField!.evaluate((input) => (input as HTMLInputElement).value);
    assert.match(invitationUrl, new RegExp(`^${base}/register#[A-Za-z0-9_-]{43}$`));

    // The same setup link cannot create a second account.
    const again = await e2e.newPage('doctor');
    await again.goto(`${base}/setup#${token}`);
    await fill(again, 'Your name as patients will see it', 'Intruder');
    await fill(again, 'E-mail address', 'intruder@example.org');
    await fill(again, 'Choose a password', 'another long secret');
    await click(again, 'Create account');
    await again.waitForSelector('[role="alert"]');
    assert.match(await bodyText(again), /already been used, has expired or is not valid/);

    await Promise.all([page.waitForNavigation(), click(page, 'Sign out')]);
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.goto(`${base}/dashboard`);
    await page.waitForFunction(`location.pathname === '/login'`);

    await fill(page, 'E-mail address', 'weber@clinic.example');
    await fill(page, 'Password', 'wrong password!');
    await click(page, 'Sign in');
    await page.waitForSelector('[role="alert"]');
    assert.match(await bodyText(page), /e-mail address or the password is not right/i);

    const password = await page.waitForSelector('::-p-aria(Password[role="textbox"])');
    await password!.evaluate((input) => {
      (input as HTMLInputElement).select();
    });
    await password!.type('a long enough secret');
    await Promise.all([page.waitForNavigation(), click(page, 'Sign in')]);
    await page.waitForFunction(`document.body.innerText.includes('Signed in as Dr. Jonas Weber')`);
  });
});
