import { Inject, Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/bcrypt';
import { AppConfig } from '../config/app-config';

/**
 * bcrypt through @node-rs/bcrypt: native, runs on libuv's thread pool so hashing never blocks the
 * event loop, and reads and writes the same `$2a$`/`$2b$` hashes as bcryptjs (measured in the README).
 */
@Injectable()
export class PasswordService {
  private dummyHash?: Promise<string>;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    return hash(password, { cost: this.config.BCRYPT_ROUNDS });
  }

  verify(password: string, hashed: string): Promise<boolean> {
    return verify(password, hashed);
  }

  /** Spends the same time as a real check, so an unknown email is indistinguishable from a wrong password. */
  async verifyAgainstDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('lanterne-rouge-dummy-password');
    await verify(password, await this.dummyHash);
    return false;
  }
}
