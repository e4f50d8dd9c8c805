import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/app-config';
import { tokenCipherFor } from './crypto.module';
import { DecryptionError, keyFromHex, keyFromSecret, TokenCipher } from './token-cipher';

const key = (): Buffer => randomBytes(32);

describe('TokenCipher', () => {
  it('opens what it sealed, in the same context only', () => {
    const cipher = new TokenCipher(key());
    const sealed = cipher.seal('JBSWY3DPEHPK3PXP', 'totp:user:1');
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(cipher.open(sealed, 'totp:user:1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => cipher.open(sealed, 'totp:user:2')).toThrow(DecryptionError);
  });

  it('uses a fresh IV every time', () => {
    const cipher = new TokenCipher(key());
    expect(cipher.seal('same', 'c')).not.toBe(cipher.seal('same', 'c'));
  });

  it('refuses a tampered ciphertext, IV or tag', () => {
    const cipher = new TokenCipher(key());
    const parts = cipher.seal('a secret value', 'ctx').split('.');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[0] ^= 0x01;
      const tampered = [...parts];
      tampered[index] = bytes.toString('base64url');
      expect(() => cipher.open(tampered.join('.'), 'ctx')).toThrow(DecryptionError);
    }
    expect(() => cipher.open('not-sealed', 'ctx')).toThrow(DecryptionError);
    expect(() => cipher.open(parts.slice(0, 4).join('.'), 'ctx')).toThrow(DecryptionError);
  });

  it('refuses a value sealed under a key it does not hold', () => {
    const sealed = new TokenCipher(key()).seal('x', 'ctx');
    expect(() => new TokenCipher(key()).open(sealed, 'ctx')).toThrow(/unknown key id/);
  });

  it('rotates: old values open through a previous key, new values use the current key', () => {
    const oldKey = key();
    const newKey = key();
    const before = new TokenCipher(oldKey);
    const sealedOld = before.seal('old secret', 'ctx');

    const after = new TokenCipher(newKey, [oldKey]);
    expect(after.open(sealedOld, 'ctx')).toBe('old secret');
    expect(after.isStale(sealedOld)).toBe(true);
    const sealedNew = after.seal('new secret', 'ctx');
    expect(after.isStale(sealedNew)).toBe(false);
    expect(sealedNew.split('.')[1]).toBe(after.currentKeyId);
    expect(sealedNew.split('.')[1]).not.toBe(before.currentKeyId);
    // Once the old key is dropped from the list, its values no longer open.
    expect(() => new TokenCipher(newKey).open(sealedOld, 'ctx')).toThrow(DecryptionError);
  });

  it('parses hex keys and derives a stable development key from SECRET_KEY', () => {
    expect(() => keyFromHex('abc')).toThrow();
    expect(keyFromHex('00'.repeat(32))).toHaveLength(32);
    expect(keyFromSecret('s'.repeat(40)).equals(keyFromSecret('s'.repeat(40)))).toBe(true);
    expect(keyFromSecret('s'.repeat(40)).equals(keyFromSecret('t'.repeat(40)))).toBe(false);
  });
});

describe('tokenCipherFor(config)', () => {
  const secret = 'a-secret-key-of-at-least-thirty-two-chars';

  it('takes TOKEN_ENCRYPTION_KEY and TOKEN_ENCRYPTION_PREVIOUS_KEYS from the configuration', () => {
    const oldHex = randomBytes(32).toString('hex');
    const newHex = randomBytes(32).toString('hex');
    const sealed = tokenCipherFor(loadConfig({ SECRET_KEY: secret, TOKEN_ENCRYPTION_KEY: oldHex })).seal('v', 'c');
    const rotated = tokenCipherFor(
      loadConfig({ SECRET_KEY: secret, TOKEN_ENCRYPTION_KEY: newHex, TOKEN_ENCRYPTION_PREVIOUS_KEYS: ` ${oldHex} ` }),
    );
    expect(rotated.open(sealed, 'c')).toBe('v');
  });

  it('derives the key from SECRET_KEY outside production when unset', () => {
    const a = tokenCipherFor(loadConfig({ SECRET_KEY: secret }));
    const b = tokenCipherFor(loadConfig({ SECRET_KEY: secret }));
    expect(b.open(a.seal('v', 'c'), 'c')).toBe('v');
  });

  it('refuses to start in production without TOKEN_ENCRYPTION_KEY, and refuses malformed keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: secret })).toThrow(
      /TOKEN_ENCRYPTION_KEY: must be set/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: 'production', SECRET_KEY: secret, TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex') }),
    ).not.toThrow();
    expect(() => loadConfig({ SECRET_KEY: secret, TOKEN_ENCRYPTION_KEY: 'zz'.repeat(32) })).toThrow(
      /TOKEN_ENCRYPTION_KEY must be 64 hexadecimal/,
    );
    expect(() => loadConfig({ SECRET_KEY: secret, TOKEN_ENCRYPTION_PREVIOUS_KEYS: 'abc' })).toThrow(
      /TOKEN_ENCRYPTION_PREVIOUS_KEYS/,
    );
  });
});
