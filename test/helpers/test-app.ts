import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  db: DataSource;
  config: AppConfig;
  database: TestDatabase;
  /** A scratch folder for this app (its SQLite file, its LOG_DIR). */
  dir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Providers replaced in the test module (a settable `Clock`, say). */
  overrides?: Array<{ provide: unknown; useValue: unknown }>;
  /** Another app's database (two instances on one database); the caller drops it. */
  database?: TestDatabase;
}

/** Settings every e2e suite starts from: fast bcrypt, no rate limits, no scheduler, quiet logs. */
export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  SECRET_KEY: 'test-secret-key-for-e2e-suites-only-0123456789',
  BCRYPT_ROUNDS: '4',
  RATE_LIMIT_ENABLED: 'false',
  ENABLE_MISSION_SCHEDULER: 'false',
};

/**
 * Builds the real application exactly as main.ts does (AppModule.forRoot + configureApp) on a fresh
 * database with the real migrations applied, and returns a supertest agent talking HTTP to it.
 * TEST_DATABASE_URL=postgres://... switches every suite to PostgreSQL (each suite in its own schema).
 */
export async function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-e2e-'));
  const database = options.database ?? (await createTestDatabase(dir));
  const config = loadConfig({
    ...TEST_ENV,
    DATABASE_URL: database.url,
    LOG_DIR: path.join(dir, 'logs'),
    ...env,
  });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  for (const { provide, useValue } of options.overrides ?? []) {
    builder = builder.overrideProvider(provide).useValue(useValue);
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error', 'fatal'],
  });
  configureApp(app, config);
  await app.init();
  const db = app.get(DataSource);
  return {
    app,
    http: request(app.getHttpServer()),
    db,
    config,
    database,
    dir,
    close: async () => {
      await app.close();
      if (!options.database) {
        await database.drop();
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
