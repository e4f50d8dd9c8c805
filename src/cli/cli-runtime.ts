import { HttpException } from '@nestjs/common';
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

/** A failure whose message is meant for the operator as it is. */
export class CliError extends Error {}

/** Applies pending migrations first, printing each, so commands work on a fresh database. */
export async function ensureMigrated(db: DataSource): Promise<void> {
  const applied = await db.runMigrations({ transaction: 'each' });
  for (const migration of applied) {
    console.log(`applied migration ${migration.name}`);
  }
}
