import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, Raw, Repository } from 'typeorm';
import { monotonicNow } from '../common/clock';
import { normalizeEmail } from '../common/email';
import type { Page } from '../common/paging';
import { isUniqueViolation } from '../database/database-errors';
import { PasswordService } from './password.service';
import { User } from './user.entity';
import { apiError } from '../common/error-codes';

export interface NewUser {
  email: string;
  password: string;
  isAdmin?: boolean;
  /** Registration starts unverified; accounts made by the admin commands start verified. */
  emailVerified?: boolean;
}

/** Accounts: creation (register, seed, user:create), look-ups and the admin's list. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly passwords: PasswordService,
  ) {}

  /** Creates an account; an email already taken (even by a request racing this one) is a 400. */
  async create({ email, password, isAdmin = false, emailVerified = true }: NewUser): Promise<User> {
    const normalized = normalizeEmail(email);
    if (await this.findByEmail(normalized)) {
      throw apiError('email_taken');
    }
    const now = monotonicNow();
    const user = this.users.create({
      email: normalized,
      hashedPassword: await this.passwords.hash(password),
      isActive: true,
      isAdmin,
      emailVerified,
      createdAt: now,
      updatedAt: now,
    });
    try {
      return await this.users.save(user, { transaction: false });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw apiError('email_taken');
      }
      throw error;
    }
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  async findById(id: number): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) {
      throw apiError('user_not_found');
    }
    return user;
  }

  /** Users in id order; `email` matches any part of the address, whatever its case. */
  async list(filter: { email?: string }, skip: number, limit: number): Promise<Page<User>> {
    const where: FindOptionsWhere<User> = {};
    if (filter.email) {
      const pattern = `%${escapeLike(normalizeEmail(filter.email))}%`;
      where.email = Raw((column) => `${column} LIKE :pattern ESCAPE '\\'`, { pattern });
    }
    const [items, total] = await this.users.findAndCount({ where, order: { id: 'ASC' }, skip, take: limit });
    return { items, total, skip, limit };
  }

  async update(
    user: User,
    changes: Partial<Pick<User, 'isActive' | 'isAdmin' | 'hashedPassword' | 'email' | 'emailVerified'>>,
  ): Promise<User> {
    const updatedAt = monotonicNow();
    await this.users.update({ id: user.id }, { ...changes, updatedAt });
    return Object.assign(user, changes, { updatedAt });
  }
}

/** A LIKE pattern matching the text literally (emails may contain `_`; `%` and the backslash are escaped too). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
