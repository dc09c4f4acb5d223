import assert from 'node:assert/strict';
import { hashPassword, verifyPassword } from '../../server/accounts/passwords';

describe('password hashing', () => {
  it('verifies the right password and refuses others', async () => {
    const stored = await hashPassword('correct horse battery staple');
    assert.match(stored, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(await verifyPassword('correct horse battery staple', stored), true);
    assert.equal(await verifyPassword('correct horse battery stapler', stored), false);
    assert.equal(await verifyPassword('', stored), false);
  });

  it('salts every hash', async () => {
    assert.notEqual(await hashPassword('same password here'), await hashPassword('same password here'));
  });

  it('treats equivalent Unicode spellings of a password alike', async () => {
    const stored = await hashPassword('Ärztin-Passwort-1');
    assert.equal(await verifyPassword('A\u0308rztin-Passwort-1', stored), true);
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    for (const stored of ['', 'plain', 'bcrypt$1$2$3$x$y', 'scrypt$$$$$']) {
      assert.equal(await verifyPassword('anything', stored), false, stored);
    }
  });
});
