import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imported activities (Strava) carry their id at the source, `strava:<id>`, unique per user: whatever
 * happens twice (a backfill and a webhook, two instances, a retried job), an activity is imported once.
 * Uploads and manual entries leave it null (NULLs never collide in a unique index, on both engines).
 * Plain SQL: the same two statements on SQLite and PostgreSQL, no table rebuild on SQLite.
 */
export class ActivityExternalIds1765500000000 implements MigrationInterface {
  name = 'ActivityExternalIds1765500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE activities ADD COLUMN external_id varchar(40)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX ux_activities_user_id_external_id ON activities (user_id, external_id)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ux_activities_user_id_external_id`);
    await queryRunner.query(`ALTER TABLE activities DROP COLUMN external_id`);
  }
}
