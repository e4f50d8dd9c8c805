import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { keyFromHex, keyFromSecret, TokenCipher } from './token-cipher';

/** The cipher for this configuration: TOKEN_ENCRYPTION_KEY, else (outside production) a key derived from SECRET_KEY. */
export function tokenCipherFor(config: AppConfig): TokenCipher {
  const current = config.TOKEN_ENCRYPTION_KEY
    ? keyFromHex(config.TOKEN_ENCRYPTION_KEY)
    : keyFromSecret(config.SECRET_KEY);
  const previous = (config.TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? '').split(',').filter(Boolean).map(keyFromHex);
  return new TokenCipher(current, previous);
}

/** Provides the one TokenCipher (AES-256-GCM with key ids) to the features that keep secrets at rest. */
@Module({
  providers: [{ provide: TokenCipher, inject: [AppConfig], useFactory: tokenCipherFor }],
  exports: [TokenCipher],
})
export class CryptoModule {}
