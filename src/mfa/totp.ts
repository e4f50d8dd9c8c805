import { generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 as authenticator apps implement it: SHA-1, 6 digits, 30-s steps (otplib's defaults, spelled out). */
export const TOTP = { algorithm: 'sha1', digits: 6, period: 30 } as const;
export const TOTP_ISSUER = 'Lanterne Rouge';

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: account, secret, ...TOTP });
}

/**
 * The step a code was accepted for: its own 30-s step or one either side, and only a step after
 * `afterStep` (the last one used: a replay is refused). null when the code does not match.
 */
export async function acceptedStep(secret: string, code: string, afterStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) {
    return null;
  }
  const result = await verify({
    secret,
    token: code,
    ...TOTP,
    epochTolerance: TOTP.period,
    ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
  });
  // A TOTP result carries the step it matched (the union type also covers HOTP, which has none).
  return result.valid ? (result as { timeStep: number }).timeStep : null;
}
