import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const OLD = new TableIndex({ name: 'ix_activities_user_id_local_date', columnNames: ['user_id', 'local_date'] });
const COVERING = new TableIndex({
  name: 'ix_activities_user_id_local_date_scores',
  columnNames: ['user_id', 'local_date', 'tss', 'moving_s', 'intensity_factor'],
});

/**
 * The training load and mission progress sum an athlete's activities per day: with the day's numbers in
 * the index (user_id, local_date, tss, moving_s, intensity_factor) both read the index alone, never the
 * table's rows. It replaces (user_id, local_date), which is its prefix.
 */
export class ActivityDayTotalsIndex1765200000000 implements MigrationInterface {
  name = 'ActivityDayTotalsIndex1765200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('activities', COVERING);
    await queryRunner.dropIndex('activities', OLD.name as string);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('activities', OLD);
    await queryRunner.dropIndex('activities', COVERING.name as string);
  }
}
