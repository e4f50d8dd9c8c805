import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { binaryColumnType, migrationTypes } from '../src/database/columns';
import { DatabaseKind } from '../src/database/database-url';

const kindOf = (queryRunner: QueryRunner): DatabaseKind =>
  queryRunner.connection.driver.options.type === 'postgres' ? 'postgres' : 'sqlite';

const userForeignKey = (table: string): TableForeignKey =>
  new TableForeignKey({
    name: `fk_${table}_user_id`,
    columnNames: ['user_id'],
    referencedTableName: 'users',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

/** Athlete profiles and FTP history, activities and their compressed streams, wellness days (issue 11). */
export class TrainingData1764500000000 implements MigrationInterface {
  name = 'TrainingData1764500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const kind = kindOf(queryRunner);
    const t = migrationTypes(kind);
    const double = 'double precision';

    await queryRunner.createTable(
      new Table({
        name: 'athlete_profiles',
        columns: [
          { name: 'user_id', type: 'integer', isPrimary: true },
          { name: 'weight_kg', type: double, isNullable: true },
          { name: 'max_hr', type: 'integer', isNullable: true },
          { name: 'threshold_hr', type: 'integer', isNullable: true },
          { name: 'timezone', type: 'varchar', length: '64', isNullable: false },
          { name: 'created_at', type: t.timestamp, isNullable: false },
          { name: 'updated_at', type: t.timestamp, isNullable: false },
        ],
        foreignKeys: [userForeignKey('athlete_profiles')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'ftp_history',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'user_id', type: 'integer', isNullable: false },
          { name: 'effective_from', type: 'date', isNullable: false },
          { name: 'ftp', type: 'integer', isNullable: false },
          { name: 'created_at', type: t.timestamp, isNullable: false },
        ],
        foreignKeys: [userForeignKey('ftp_history')],
        indices: [
          new TableIndex({
            name: 'ux_ftp_history_user_id_effective_from',
            columnNames: ['user_id', 'effective_from'],
            isUnique: true,
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'activities',
        columns: [
          { name: 'id', type: t.uuid, isPrimary: true },
          { name: 'user_id', type: 'integer', isNullable: false },
          { name: 'name', type: 'varchar', length: '255', isNullable: false },
          { name: 'sport', type: 'varchar', length: '20', isNullable: false },
          { name: 'source', type: 'varchar', length: '10', isNullable: false },
          { name: 'start_time', type: t.timestamp, isNullable: false },
          { name: 'local_date', type: 'date', isNullable: false },
          { name: 'dedup_key', type: 'varchar', length: '40', isNullable: true },
          { name: 'elapsed_s', type: 'integer', isNullable: false },
          { name: 'moving_s', type: 'integer', isNullable: false },
          { name: 'distance_m', type: double, isNullable: true },
          { name: 'elevation_gain_m', type: double, isNullable: true },
          { name: 'avg_power', type: double, isNullable: true },
          { name: 'max_power', type: double, isNullable: true },
          { name: 'normalized_power', type: double, isNullable: true },
          { name: 'avg_hr', type: double, isNullable: true },
          { name: 'max_hr', type: double, isNullable: true },
          { name: 'avg_cadence', type: double, isNullable: true },
          { name: 'manual_tss', type: double, isNullable: true },
          { name: 'intensity_factor', type: double, isNullable: true },
          { name: 'tss', type: double, isNullable: true },
          { name: 'tss_method', type: 'varchar', length: '20', isNullable: false },
          { name: 'ftp_used', type: 'integer', isNullable: true },
          { name: 'time_in_power_zones_s', type: t.json, isNullable: true },
          { name: 'has_power_streams', type: 'boolean', isNullable: false },
          { name: 'notes', type: 'varchar', length: '1000', isNullable: true },
          { name: 'created_at', type: t.timestamp, isNullable: false },
          { name: 'updated_at', type: t.timestamp, isNullable: false },
        ],
        foreignKeys: [userForeignKey('activities')],
        indices: [
          new TableIndex({ name: 'ix_activities_user_id_local_date', columnNames: ['user_id', 'local_date'] }),
          // Files only (manual entries have no key): the same ride twice is refused by the index itself.
          new TableIndex({
            name: 'ux_activities_user_id_dedup_key',
            columnNames: ['user_id', 'dedup_key'],
            isUnique: true,
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'activity_streams',
        columns: [
          { name: 'activity_id', type: t.uuid, isPrimary: true },
          { name: 'encoding', type: 'varchar', length: '10', isNullable: false },
          { name: 'data', type: binaryColumnType(kind), isNullable: false },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_activity_streams_activity_id',
            columnNames: ['activity_id'],
            referencedTableName: 'activities',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'wellness_days',
        columns: [
          { name: 'user_id', type: 'integer', isPrimary: true },
          { name: 'date', type: 'date', isPrimary: true },
          { name: 'readiness', type: 'integer', isNullable: true },
          { name: 'sleep_hours', type: double, isNullable: true },
          { name: 'resting_hr', type: 'integer', isNullable: true },
          { name: 'hrv_ms', type: double, isNullable: true },
          { name: 'notes', type: 'varchar', length: '1000', isNullable: true },
          { name: 'created_at', type: t.timestamp, isNullable: false },
          { name: 'updated_at', type: t.timestamp, isNullable: false },
        ],
        foreignKeys: [userForeignKey('wellness_days')],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('wellness_days');
    await queryRunner.dropTable('activity_streams');
    await queryRunner.dropTable('activities');
    await queryRunner.dropTable('ftp_history');
    await queryRunner.dropTable('athlete_profiles');
  }
}
