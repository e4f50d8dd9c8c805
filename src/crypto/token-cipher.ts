import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** A sealed value that cannot be opened: unknown key id, tampered bytes, wrong context or not ours at all. */
export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt: ${reason}`);
  }
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Key {
  id: string;
  bytes: Buffer;
}

/** The key's id: a short hash of the key itself, so rotating needs no separate id setting. */
function keyId(bytes: Buffer): string {
  return createHash('sha256').update('lanterne-rouge/key-id').update(bytes).digest('hex').slice(0, 8);
}

function toKey(bytes: Buffer): Key {
  if (bytes.length !== 32) {
    throw new Error('An AES-256 key is 32 bytes');
  }
  return { id: keyId(bytes), bytes };
}

/** Parses a key written as 64 hexadecimal characters (the form of TOKEN_ENCRYPTION_KEY). */
export function keyFromHex(hex: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new Error('A key is 64 hexadecimal characters');
  }
  return Buffer.from(hex, 'hex');
}

/** The development key when TOKEN_ENCRYPTION_KEY is unset (never in production): derived from SECRET_KEY. */
export function keyFromSecret(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'lanterne-rouge/token-encryption', 'aes-256-gcm v1', 32));
}

/**
 * The one AES-256-GCM helper for secrets kept at rest (TOTP secrets, queued mail, provider tokens).
 * A sealed value is `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts): new values use the current
 * key; values sealed under a previous key still open while that key is listed, so keys can rotate.
 * Each value is bound to a context string (as GCM associated data), e.g. `totp:user:12`: a ciphertext
 * copied to another row or purpose does not open there.
 */
export class TokenCipher {
  private readonly current: Key;
  private readonly keys = new Map<string, Key>();

  constructor(currentKey: Buffer, previousKeys: Buffer[] = []) {
    this.current = toKey(currentKey);
    for (const key of [this.current, ...previousKeys.map(toKey)]) {
      if (!this.keys.has(key.id)) {
        this.keys.set(key.id, key);
      }
    }
  }

  /** The id of the key new values are sealed with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      this.current.id,
      iv.toString('base64url'),
      body.toString('base64url'),
      tag.toString('base64url'),
    ].join('.');
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) {
      throw new DecryptionError('not a sealed value');
    }
    const [, id, ivText, bodyText, tagText] = parts;
    const key = this.keys.get(id);
    if (!key) {
      throw new DecryptionError(`unknown key id ${id}`);
    }
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new DecryptionError('malformed value');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionError('authentication failed');
    }
  }

  /** True when a sealed value was made with an older key (re-seal it to finish a rotation). */
  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.id;
  }
}
