import type TestAgent from 'supertest/lib/agent';
import type { DataSource } from 'typeorm';
import { User } from '../../src/users/user.entity';

export interface LoggedIn {
  id: number;
  email: string;
  password: string;
  access: string;
  refresh: string;
  auth: { Authorization: string };
}

let counter = 0;

/** A fresh unique email for this process. */
export function uniqueEmail(prefix = 'rider'): string {
  counter += 1;
  return `${prefix}.${process.pid}.${Date.now()}.${counter}@example.com`;
}

/** Registers (and optionally promotes to admin through the database) then logs in. */
export async function registerAndLogin(
  http: TestAgent,
  options: { email?: string; password?: string; admin?: boolean; db?: DataSource } = {},
): Promise<LoggedIn> {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? 'correct-horse-battery';
  const registered = await http.post('/auth/register').send({ email, password }).expect(201);
  if (options.admin) {
    if (!options.db) {
      throw new Error('admin: true needs the DataSource');
    }
    await setUserFlags(options.db, registered.body.id as number, { isAdmin: true });
  }
  const tokens = await http.post('/auth/login').send({ email, password }).expect(200);
  return {
    id: registered.body.id as number,
    email,
    password,
    access: tokens.body.access_token as string,
    refresh: tokens.body.refresh_token as string,
    auth: { Authorization: `Bearer ${tokens.body.access_token as string}` },
  };
}

/** Registers a fresh administrator (promoted through the database) and logs it in. */
export const registerAdmin = (app: { http: TestAgent; db: DataSource }): Promise<LoggedIn> =>
  registerAndLogin(app.http, { admin: true, db: app.db, email: uniqueEmail('admin') });

/** POST /auth/refresh with a refresh token. */
export const refreshWith = (http: TestAgent, refreshToken: string) =>
  http.post('/auth/refresh').send({ refresh_token: refreshToken });

/** GET /users/me with an access token. */
export const meWith = (http: TestAgent, accessToken: string) =>
  http.get('/users/me').set('Authorization', `Bearer ${accessToken}`);

/** Flips account flags straight in the database (what an operator or another admin would do). */
export async function setUserFlags(
  db: DataSource,
  id: number,
  flags: Partial<Pick<User, 'isActive' | 'isAdmin'>>,
): Promise<void> {
  await db.getRepository(User).update({ id }, flags);
}
