import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { hash, verify } from '@node-rs/bcrypt';
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { AppConfig } from '../config/app-config';

/**
 * bcrypt through @node-rs/bcrypt: native, runs on libuv's thread pool so hashing never blocks the
 * event loop, and reads and writes the same `$2a$`/`$2b$` hashes as bcryptjs (measured in the README).
 * At most BCRYPT_CONCURRENCY (one per core) hashes run at once: more only share the same cores, and each
 * extra thread takes CPU from the event loop (with 4 on one core, /healthz p99 went from 7 to 20-65 ms
 * while logins ran; logins per second stay the same).
 */
@Injectable()
export class PasswordService implements OnModuleInit {
  private dummyHash?: Promise<string>;
  private readonly slot: pLimit.Limit;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.slot = pLimit(config.BCRYPT_CONCURRENCY);
  }

  /** The dummy hash is made at start-up, so the first unknown email costs one check like any other. */
  async onModuleInit(): Promise<void> {
    await this.dummy();
  }

  /**
   * 1.10 labels its output `$2y$`, which is the same algorithm and bytes as `$2b$` (the label only marks
   * PHP's fixed implementation); written as `$2b$` so every bcrypt library reads it.
   */
  async hash(password: string): Promise<string> {
    const hashed = await this.slot(() => hash(password, this.config.BCRYPT_ROUNDS));
    return hashed.replace(/^\$2y\$/, '$2b$');
  }

  verify(password: string, hashed: string): Promise<boolean> {
    return this.slot(() => verify(password, hashed));
  }

  /** Spends the same time as a real check, so an unknown email is indistinguishable from a wrong password. */
  async verifyAgainstDummy(password: string): Promise<false> {
    await this.verify(password, await this.dummy());
    return false;
  }

  /** Hashed at the configured cost, like every real password, so both checks take as long. */
  private dummy(): Promise<string> {
    this.dummyHash ??= this.hash(randomBytes(18).toString('base64url'));
    return this.dummyHash;
  }
}
