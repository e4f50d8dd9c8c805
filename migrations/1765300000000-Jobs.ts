import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The embedded job queue (src/jobs/sqlite-job.store.ts), on SQLite only: on PostgreSQL the jobs live in
 * pg-boss's own schema, which pg-boss creates and migrates itself, and an empty `jobs` table there would
 * only be a second place that looks as if it held jobs. Nothing maps this table as an entity, so the
 * two schemas differ by exactly this table.
 */
export class Jobs1765300000000 implements MigrationInterface {
  name = 'Jobs1765300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'postgres') {
      return;
    }
    await queryRunner.query(`
      CREATE TABLE jobs (
        id varchar(36) PRIMARY KEY NOT NULL,
        name varchar(100) NOT NULL,
        data json NOT NULL,
        key varchar(200),
        state varchar(16) NOT NULL,
        attempts integer NOT NULL,
        retry_limit integer NOT NULL,
        retry_delay_seconds integer NOT NULL,
        run_at datetime NOT NULL,
        locked_until datetime,
        locked_by varchar(36),
        last_error varchar(1000),
        created_at datetime NOT NULL,
        finished_at datetime
      )`);
    // Dedupe: one queued or running job per name and key.
    await queryRunner.query(
      `CREATE UNIQUE INDEX ux_jobs_live_key ON jobs (name, key) WHERE state IN ('queued', 'active') AND key IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX ix_jobs_due ON jobs (name, state, run_at)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'postgres') {
      return;
    }
    await queryRunner.query(`DROP TABLE jobs`);
  }
}
