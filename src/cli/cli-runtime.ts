import { HttpException, Logger } from '@nestjs/common';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError, loadConfigFromProcess } from '../config/app-config';
import { buildDataSourceOptions } from '../database/data-source-options';

export interface CliContext {
  config: AppConfig;
  db: DataSource;
}

/**
 * Runs one admin command: loads and validates the configuration (.env included), opens the database,
 * runs the command, closes, and turns any failure into a message and a non-zero exit code.
 */
export function runCli(name: string, command: (ctx: CliContext) => Promise<void>): void {
  const run = async (): Promise<void> => {
    const config = loadConfigFromProcess();
    quietCliLogger(config);
    const db = new DataSource(buildDataSourceOptions(config));
    await db.initialize();
    try {
      await command({ config, db });
    } finally {
      await db.destroy();
    }
  };
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      const operatorFacing =
        error instanceof ConfigError || error instanceof CliError || error instanceof HttpException;
      const message = operatorFacing ? error.message : String((error as Error)?.stack ?? error);
      console.error(`${name} failed: ${message}`);
      process.exit(1);
    },
  );
}

/** Admin commands print what they did; the database's debug lines come only with LOG_LEVEL=debug or DEBUG. */
export function quietCliLogger(config: AppConfig): void {
  const verbose = config.DEBUG || ['debug', 'trace'].includes(config.LOG_LEVEL);
  Logger.overrideLogger(
    verbose ? ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] : ['fatal', 'error', 'warn', 'log'],
  );
}

/** A failure whose message is meant for the operator as it is. */
export class CliError extends Error {}

/**
 * The command's options through node's parseArgs (strict): `--help` prints the usage line and exits 0; an
 * unknown or malformed option is a CliError that names it and shows the usage, never a stack trace.
 */
export function parseCliArgs<O extends NonNullable<ParseArgsConfig['options']>>(options: O, usage: string) {
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs({ options, strict: true }).values;
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${usage}`);
  }
}

/** Applies pending migrations first, printing each, so commands work on a fresh database. */
export async function ensureMigrated(db: DataSource): Promise<void> {
  const applied = await db.runMigrations({ transaction: 'each' });
  for (const migration of applied) {
    console.log(`applied migration ${migration.name}`);
  }
}
