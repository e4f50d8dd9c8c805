import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { migrationTypes } from '../src/database/columns';
import { DatabaseKind } from '../src/database/database-url';

const kindOf = (queryRunner: QueryRunner): DatabaseKind =>
  queryRunner.connection.driver.options.type === 'postgres' ? 'postgres' : 'sqlite';

/** Missions and the mission builder's pending drafts. */
export class Missions1764100000000 implements MigrationInterface {
  name = 'Missions1764100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const t = migrationTypes(kindOf(queryRunner));

    await queryRunner.createTable(
      new Table({
        name: 'missions',
        columns: [
          { name: 'id', type: t.uuid, isPrimary: true },
          { name: 'user_id', type: 'integer', isNullable: false },
          { name: 'name', type: 'varchar', length: '255', isNullable: false },
          { name: 'mission_type', type: 'varchar', length: '100', isNullable: false },
          { name: 'event_start_date', type: 'date', isNullable: false },
          { name: 'event_end_date', type: 'date', isNullable: false },
          { name: 'prep_start_date', type: 'date', isNullable: true },
          { name: 'prep_end_date', type: 'date', isNullable: true },
          { name: 'state', type: 'varchar', length: '20', isNullable: false },
          { name: 'points_schema', type: t.json, isNullable: false },
          { name: 'timezone', type: 'varchar', length: '64', isNullable: false },
          { name: 'constraints', type: t.json, isNullable: true },
          { name: 'notification_preferences', type: t.json, isNullable: true },
          { name: 'created_at', type: t.timestamp, isNullable: false },
          { name: 'updated_at', type: t.timestamp, isNullable: false },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_missions_user_id',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'ix_missions_user_id_created_at', columnNames: ['user_id', 'created_at'] }),
          new TableIndex({ name: 'ix_missions_state_event_start_date', columnNames: ['state', 'event_start_date'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'mission_drafts',
        columns: [
          { name: 'id', type: t.uuid, isPrimary: true },
          { name: 'user_id', type: 'integer', isNullable: false },
          { name: 'draft', type: t.json, isNullable: false },
          { name: 'model', type: 'varchar', length: '255', isNullable: false },
          { name: 'prompt_tokens', type: 'integer', isNullable: false },
          { name: 'completion_tokens', type: 'integer', isNullable: false },
          { name: 'created_at', type: t.timestamp, isNullable: false },
          { name: 'expires_at', type: t.timestamp, isNullable: false },
          { name: 'mission_id', type: t.uuid, isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_mission_drafts_user_id',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            name: 'fk_mission_drafts_mission_id',
            columnNames: ['mission_id'],
            referencedTableName: 'missions',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'ix_mission_drafts_user_id', columnNames: ['user_id'] }),
          new TableIndex({ name: 'ix_mission_drafts_expires_at', columnNames: ['expires_at'] }),
          new TableIndex({ name: 'ix_mission_drafts_mission_id', columnNames: ['mission_id'] }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('mission_drafts');
    await queryRunner.dropTable('missions');
  }
}
