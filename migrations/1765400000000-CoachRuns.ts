import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { migrationTypes } from '../src/database/columns';
import { DatabaseKind } from '../src/database/database-url';

const kindOf = (queryRunner: QueryRunner): DatabaseKind =>
  queryRunner.connection.driver.options.type === 'postgres' ? 'postgres' : 'sqlite';

const missionKey = (table: string): TableForeignKey =>
  new TableForeignKey({
    name: `fk_${table}_mission_id`,
    columnNames: ['mission_id'],
    referencedTableName: 'missions',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

/** The coach's daily briefings (src/coach): one run per mission and date, and one record per mail queued. */
export class CoachRuns1765400000000 implements MigrationInterface {
  name = 'CoachRuns1765400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const t = migrationTypes(kindOf(queryRunner));
    await queryRunner.createTable(
      new Table({
        name: 'coach_runs',
        columns: [
          { name: 'id', type: t.uuid, isPrimary: true },
          { name: 'mission_id', type: t.uuid, isNullable: false },
          { name: 'date', type: 'date', isNullable: false },
          { name: 'status', type: 'varchar', length: '16', isNullable: false },
          { name: 'phase', type: 'varchar', length: '16', isNullable: false },
          { name: 'load', type: t.json, isNullable: false },
          { name: 'recommendation', type: t.json, isNullable: false },
          { name: 'model_used', type: 'varchar', length: '255', isNullable: true },
          { name: 'prompt_tokens', type: 'integer', isNullable: false },
          { name: 'completion_tokens', type: 'integer', isNullable: false },
          { name: 'created_at', type: t.timestamp, isNullable: false },
        ],
        foreignKeys: [missionKey('coach_runs')],
        indices: [
          new TableIndex({
            name: 'uq_coach_runs_mission_id_date',
            columnNames: ['mission_id', 'date'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'coach_deliveries',
        columns: [
          { name: 'mission_id', type: t.uuid, isPrimary: true },
          { name: 'kind', type: 'varchar', length: '32', isPrimary: true },
          { name: 'date', type: 'date', isPrimary: true },
          { name: 'mail_id', type: t.uuid, isNullable: false },
          { name: 'created_at', type: t.timestamp, isNullable: false },
        ],
        foreignKeys: [missionKey('coach_deliveries')],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('coach_deliveries');
    await queryRunner.dropTable('coach_runs');
  }
}
