import { availableParallelism } from 'node:os';
import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/** The development secret: fine on a laptop, refused when NODE_ENV=production. */
export const DEV_SECRET_KEY = 'dev-secret-key-change-me-in-production-0123456789';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') {
    return value;
  }
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) {
    return true;
  }
  if (['false', '0', 'no', 'off', ''].includes(v)) {
    return false;
  }
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** An integer variable within [min, max]. */
function EnvInt(min: number, max: number): PropertyDecorator {
  return applyDecorators(Transform(toInt), IsInt(), Min(min), Max(max));
}

/** A boolean variable: true/false, 1/0, yes/no, on/off. */
function EnvBool(): PropertyDecorator {
  return applyDecorators(Transform(toBool), IsBoolean());
}

/**
 * Every environment variable the service reads, with its default. Validated once at start-up;
 * a bad value stops the process with a message naming the variable.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Matches(/^(sqlite:\/\/\/.+|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must look like sqlite:///./path.db, sqlite:////abs/path.db or postgres://user@host/db',
  })
  DATABASE_URL = 'sqlite:///./memory/lanterne.db';

  @EnvInt(1, 200)
  DATABASE_POOL_SIZE = 10;

  /**
   * PostgreSQL over TLS: `true` verifies the server's certificate and name (against the system's CAs, or
   * DATABASE_SSL_CA); `no-verify` encrypts without checking who answers (unsafe: anyone on the path can
   * pose as the server). Ignored for SQLite.
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim().toLowerCase() === 'no-verify' ? 'no-verify' : toBool({ value }),
  )
  @IsIn([true, false, 'no-verify'], { message: 'DATABASE_SSL must be true, false or no-verify' })
  DATABASE_SSL: boolean | 'no-verify' = false;

  /** A PEM file of the CA that signed the PostgreSQL server's certificate (a private CA); needs DATABASE_SSL=true. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DATABASE_SSL_CA?: string;

  @IsString()
  @MinLength(32, { message: 'SECRET_KEY must be at least 32 characters' })
  SECRET_KEY = DEV_SECRET_KEY;

  @EnvBool()
  DEBUG = false;

  @EnvInt(1, 1440)
  ACCESS_TOKEN_EXPIRE_MINUTES = 30;

  @EnvInt(1, 365)
  REFRESH_TOKEN_EXPIRE_DAYS = 7;

  @IsString()
  HOST = '127.0.0.1';

  @EnvInt(0, 65535)
  PORT = 8000;

  /** The usual local frontend dev servers (Next/React 3000, Angular 4200, Vite 5173) and the docs on 8000. */
  @IsString()
  CORS_ORIGINS = 'http://localhost:3000,http://localhost:4200,http://localhost:5173,http://localhost:8000';

  @EnvInt(4, 15)
  BCRYPT_ROUNDS = 12;

  /** Password hashes computed at once; more wait their turn. One per core this process may run on. */
  @EnvInt(1, 64)
  BCRYPT_CONCURRENCY = availableParallelism();

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  OPENAI_API_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'OPENAI_BASE_URL must be an http(s) URL' })
  OPENAI_BASE_URL?: string;

  @IsString()
  @MinLength(1)
  OPENAI_MODEL = 'gpt-4o-mini';

  @EnvInt(100, 600000)
  OPENAI_TIMEOUT_MS = 30000;

  @IsString()
  @MinLength(1)
  LOG_DIR = 'logs';

  /** trace, debug, info, warn, error, fatal or silent; DEBUG=true turns info into debug. */
  @IsIn(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
  LOG_LEVEL = 'info';

  /** json (one JSON object per line) or pretty; unset: pretty in development, json otherwise. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  @EnvBool()
  ENABLE_MISSION_SCHEDULER = false;

  @EnvInt(5, 525600)
  MISSION_TRANSITION_INTERVAL_MINUTES = 1440;

  @EnvInt(1, 720)
  MISSION_DRAFT_TTL_HOURS = 24;

  @EnvInt(0, 300)
  REFRESH_REUSE_GRACE_SECONDS = 10;

  /** Express "trust proxy": false, true, a hop count, or a comma-separated list of addresses/subnets. */
  @IsString()
  TRUST_PROXY = 'false';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must look like redis://host:6379' })
  REDIS_URL?: string;

  @EnvBool()
  RATE_LIMIT_ENABLED = true;

  /** Prefix of the limiter's keys in Redis (several deployments, or test runs, can share one server). */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  RATE_LIMIT_REDIS_PREFIX = 'lanterne:rl:';

  /** Failed password checks (login, password change) allowed per account in one window. */
  @EnvInt(1, 10000)
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT = 5;

  /** Failed password checks allowed per client address in one window. */
  @EnvInt(1, 100000)
  RATE_LIMIT_LOGIN_FAILURES_PER_ADDRESS = 20;

  /** The failed-login window, and how long an account or address stays refused once over its limit. */
  @EnvInt(1, 86400)
  RATE_LIMIT_LOGIN_WINDOW_SECONDS = 900;

  /** Registrations allowed per client address in one window. */
  @EnvInt(1, 100000)
  RATE_LIMIT_REGISTER_MAX = 10;

  @EnvInt(1, 86400)
  RATE_LIMIT_REGISTER_WINDOW_SECONDS = 3600;

  /** Token refreshes allowed per client address in one window. */
  @EnvInt(1, 100000)
  RATE_LIMIT_REFRESH_MAX = 60;

  @EnvInt(1, 86400)
  RATE_LIMIT_REFRESH_WINDOW_SECONDS = 60;

  /** Mission drafts (LLM calls) allowed per user in one window. */
  @EnvInt(1, 100000)
  RATE_LIMIT_DRAFT_MAX = 10;

  @EnvInt(1, 86400)
  RATE_LIMIT_DRAFT_WINDOW_SECONDS = 3600;

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 1mb, 512kb or 100000b' })
  BODY_LIMIT = '1mb';

  @EnvBool()
  METRICS_ENABLED = true;

  /** Largest activity file accepted by POST /activities/upload, as sent and once decompressed. */
  @Matches(/^[1-9]\d{0,9}(b|kb|mb)?$/i, {
    message: 'ACTIVITY_UPLOAD_LIMIT must look like 25mb, 512kb or 1000000 (bytes)',
  })
  ACTIVITY_UPLOAD_LIMIT = '25mb';

  /** On SIGTERM/SIGINT, how long in-flight requests may run before their connections are closed. */
  @EnvInt(0, 600000)
  SHUTDOWN_TIMEOUT_MS = 8000;

  // The job queue (src/jobs): pg-boss on PostgreSQL, the `jobs` table on SQLite.

  /** false: this instance sends jobs but runs none (an API-only instance beside worker instances). */
  @EnvBool()
  JOBS_WORKERS = true;

  /** How often idle workers look for jobs sent by other instances or become due (a send here wakes them at once). */
  @EnvInt(100, 60000)
  JOBS_POLL_INTERVAL_MS = 2000;

  /** How long a running job is held: renewed while it runs, so this is how soon a dead process's jobs run again. */
  @EnvInt(2, 3600)
  JOBS_LEASE_SECONDS = 60;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(512)
  METRICS_TOKEN?: string;

  // The account lifecycle (contract part 3): mail, mailed tokens, secrets encrypted at rest.

  /** smtp://user:pass@host:587 or smtps://...:465; unset: every message is written as an .eml under LOG_DIR/mail/. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465' })
  SMTP_URL?: string;

  @IsString()
  @MinLength(3)
  @MaxLength(320)
  MAIL_FROM = 'Lanterne Rouge <no-reply@localhost>';

  /** The frontend that mailed links point at (`/reset-password?token=...`, `/verify-email?token=...`). */
  @Matches(/^https?:\/\/\S+$/, { message: 'PUBLIC_APP_URL must be an http(s) URL' })
  PUBLIC_APP_URL = 'http://localhost:3000';

  @EnvInt(1, 1440)
  PASSWORD_RESET_TTL_MINUTES = 30;

  @EnvInt(1, 720)
  EMAIL_VERIFICATION_TTL_HOURS = 48;

  @EnvBool()
  REQUIRE_EMAIL_VERIFICATION = false;

  /** AES-256 key (64 hex characters) for secrets at rest; outside production derived from SECRET_KEY when unset. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, {
    message: 'TOKEN_ENCRYPTION_KEY must be 64 hexadecimal characters (openssl rand -hex 32)',
  })
  TOKEN_ENCRYPTION_KEY?: string;

  /** Earlier keys, comma-separated: values sealed with them still open, new ones use TOKEN_ENCRYPTION_KEY. */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.replace(/\s+/g, '') || undefined : value,
  )
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}(,[0-9a-fA-F]{64})*$/, {
    message: 'TOKEN_ENCRYPTION_PREVIOUS_KEYS must be a comma-separated list of 64-hex-character keys',
  })
  TOKEN_ENCRYPTION_PREVIOUS_KEYS?: string;

  /** Password-reset requests per client address in one window (429 beyond). */
  @EnvInt(1, 100000)
  RATE_LIMIT_PASSWORD_FORGOT_MAX = 10;

  @EnvInt(1, 86400)
  RATE_LIMIT_PASSWORD_FORGOT_WINDOW_SECONDS = 3600;

  /** Data exports (GET /users/me/export) per user in one window (429 beyond): each reads the whole account. */
  @EnvInt(1, 100000)
  RATE_LIMIT_EXPORT_MAX = 10;

  @EnvInt(1, 86400)
  RATE_LIMIT_EXPORT_WINDOW_SECONDS = 3600;

  /** Account mails (reset, verification) per account in one window; beyond, silently no mail. */
  @EnvInt(1, 100000)
  RATE_LIMIT_ACCOUNT_MAILS_MAX = 5;

  @EnvInt(1, 86400)
  RATE_LIMIT_ACCOUNT_MAILS_WINDOW_SECONDS = 3600;

  // Strava connection (contract part 2). Without STRAVA_CLIENT_ID/SECRET/REDIRECT_URI the Strava routes answer 503.

  /** Strava's site and API root; tests and trying by hand point it at the fake Strava server. */
  @Matches(/^https?:\/\/[^\s/]+$/, {
    message: 'STRAVA_BASE_URL must be an http(s) origin such as https://www.strava.com',
  })
  STRAVA_BASE_URL = 'https://www.strava.com';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'STRAVA_CLIENT_ID must be the numeric Client ID of the Strava API application' })
  STRAVA_CLIENT_ID?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  STRAVA_CLIENT_SECRET?: string;

  /** This service's `/connections/strava/callback` as the browser reaches it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'STRAVA_REDIRECT_URI must be an http(s) URL' })
  STRAVA_REDIRECT_URI?: string;

  /** Where the browser goes once connected (the app's settings page); unset: the callback answers JSON. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'STRAVA_SUCCESS_REDIRECT must be an http(s) URL' })
  STRAVA_SUCCESS_REDIRECT?: string;

  /** The verify_token given when creating the webhook subscription; unset: the subscription check is refused. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  STRAVA_WEBHOOK_VERIFY_TOKEN?: string;

  @EnvInt(0, 3650)
  STRAVA_BACKFILL_DAYS = 30;

  @EnvInt(30, 86400)
  STRAVA_STATE_TTL_SECONDS = 600;

  // The coach's daily briefings (contract part 2, "Daily briefings").

  /** Local hour (in each mission's zone) from which its day's briefing is due. */
  @EnvInt(0, 23)
  COACH_BRIEFING_HOUR = 6;

  /** Local hour from which the evening summary (and on Sundays the weekly review) is mailed. */
  @EnvInt(0, 23)
  COACH_EVENING_HOUR = 21;

  /** Check every minute for due briefings and mails, and work the coach-run jobs. */
  @EnvBool()
  ENABLE_COACH_SCHEDULER = false;

  /** Coach runs (and so LLM calls) at once in one instance: the jobs worker and the admin route alike. */
  @EnvInt(1, 64)
  COACH_CONCURRENCY = 4;
  /** ACTIVITY_UPLOAD_LIMIT in bytes. */
  get activityUploadLimitBytes(): number {
    const [, amount, unit] = /^(\d+)(b|kb|mb)?$/i.exec(this.ACTIVITY_UPLOAD_LIMIT) ?? [];
    const factor = { kb: 1024, mb: 1024 * 1024 }[(unit ?? 'b').toLowerCase()] ?? 1;
    return Number(amount) * factor;
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  get corsOrigins(): string[] {
    return this.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
  }

  /** The value handed to Express's "trust proxy" setting. */
  get trustProxy(): boolean | number | string {
    const v = this.TRUST_PROXY.trim().toLowerCase();
    if (v === 'true') {
      return true;
    }
    if (v === 'false' || v === '') {
      return false;
    }
    return /^\d+$/.test(v) ? Number(v) : this.TRUST_PROXY;
  }
}

export class ConfigError extends Error {}

/**
 * Builds the configuration from an environment map. Unknown variables are ignored; empty strings
 * count as unset so `FOO=` in a .env file falls back to the default.
 */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const known = Object.keys(new AppConfig()).concat([
    'OPENAI_API_KEY',
    'OPENAI_BASE_URL',
    'DATABASE_SSL_CA',
    'REDIS_URL',
    'METRICS_TOKEN',
    'SMTP_URL',
    'TOKEN_ENCRYPTION_KEY',
    'TOKEN_ENCRYPTION_PREVIOUS_KEYS',
    'STRAVA_CLIENT_ID',
    'STRAVA_CLIENT_SECRET',
    'STRAVA_REDIRECT_URI',
    'STRAVA_SUCCESS_REDIRECT',
    'STRAVA_WEBHOOK_VERIFY_TOKEN',
  ]);
  const plain: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') {
      plain[key] = value;
    }
  }
  const config = plainToInstance(AppConfig, plain, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  const messages = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
  if (config.isProduction && config.SECRET_KEY === DEV_SECRET_KEY) {
    messages.push('SECRET_KEY: the built-in development key cannot be used with NODE_ENV=production');
  }
  if (config.isProduction && !config.TOKEN_ENCRYPTION_KEY) {
    messages.push(
      'TOKEN_ENCRYPTION_KEY: must be set with NODE_ENV=production (64 hex characters: openssl rand -hex 32)',
    );
  }
  if (config.DATABASE_SSL_CA && config.DATABASE_SSL !== true) {
    messages.push('DATABASE_SSL_CA: needs DATABASE_SSL=true (the CA is what the server is verified against)');
  }
  if (messages.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${messages.join('\n  ')}`);
  }
  return config;
}

/** Reads `.env` from the working directory (if present; real environment variables win) and validates. */
export function loadConfigFromProcess(): AppConfig {
  try {
    process.loadEnvFile('.env');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  return loadConfig(process.env);
}
