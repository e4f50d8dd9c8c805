import { generateSync } from 'otplib';
import { acceptedStep, newTotpSecret, totpUri } from './totp';

describe('TOTP (otplib, RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 test vectors', () => {
    // Appendix B: the ASCII secret "12345678901234567890", 8 digits, 30-s steps.
    const secret = new TextEncoder().encode('12345678901234567890');
    const vectors: Array<[number, string]> = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [epoch, code] of vectors) {
      expect(generateSync({ secret, epoch, digits: 8, algorithm: 'sha1', period: 30 })).toBe(code);
    }
  });

  it('accepts a code for its own step and one either side, never further, never a step already used', async () => {
    const secret = newTotpSecret();
    const now = 1_800_000_015; // the middle of step 60,000,000
    const step = Math.floor(now / 30);
    const codeAt = (offsetSteps: number) => generateSync({ secret, epoch: now + offsetSteps * 30 });
    const at = async (code: string, afterStep: number | null) => {
      jest.useFakeTimers({ now: now * 1000, doNotFake: ['nextTick', 'setImmediate'] });
      try {
        return await acceptedStep(secret, code, afterStep);
      } finally {
        jest.useRealTimers();
      }
    };
    expect(await at(codeAt(0), null)).toBe(step);
    expect(await at(codeAt(-1), null)).toBe(step - 1);
    expect(await at(codeAt(1), null)).toBe(step + 1);
    expect(await at(codeAt(-2), null)).toBeNull();
    expect(await at(codeAt(2), null)).toBeNull();
    expect(await at(codeAt(0), step)).toBeNull();
    expect(await at(codeAt(1), step)).toBe(step + 1);
    expect(await at('12345', null)).toBeNull();
    expect(await at('abcdef', null)).toBeNull();
  });

  it('makes 160-bit base32 secrets and an otpauth URL with the issuer', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(totpUri(secret, 'rider@example.com'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Lanterne Rouge:rider@example.com');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('Lanterne Rouge');
  });
});
