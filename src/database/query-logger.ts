import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's own loggers print a failed query with its parameters, which are e-mail addresses, password
 * hashes and sealed tokens. This one logs the SQL text (placeholders only) and the driver's message through
 * the app's logger, and never a parameter; DEBUG adds every query, still without parameters.
 */
export class QueryLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  constructor(private readonly logEveryQuery: boolean) {}

  logQuery(query: string): void {
    if (this.logEveryQuery) {
      this.logger.debug(oneLine(query));
    }
  }

  logQueryError(error: string | Error, query: string): void {
    const message = typeof error === 'string' ? error : error.message;
    this.logger.warn(`query failed: ${message} (${oneLine(query)})`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${oneLine(query)}`);
  }

  logSchemaBuild(message: string): void {
    this.schemaNote(message);
  }

  logMigration(message: string): void {
    this.schemaNote(message);
  }

  /** A migration applied or reverted is worth a line at info; TypeORM's counting around it is debug. */
  private schemaNote(message: string): void {
    if (/ has been (\(fake\) )?(executed|reverted) successfully/.test(message)) {
      this.logger.log(message);
    } else {
      this.logger.debug(message);
    }
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = String(message);
    if (level === 'warn') {
      this.logger.warn(text);
    } else if (this.logEveryQuery) {
      this.logger.log(text);
    }
  }
}

function oneLine(query: string): string {
  return query.replace(/\s+/g, ' ').trim();
}
