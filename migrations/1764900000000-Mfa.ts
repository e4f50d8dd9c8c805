import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { migrationTypes } from '../src/database/columns';
import { DatabaseKind } from '../src/database/database-url';

const kindOf = (queryRunner: QueryRunner): DatabaseKind =>
  queryRunner.connection.driver.options.type === 'postgres' ? 'postgres' : 'sqlite';

const userFk = (table: string): TableForeignKey =>
  new TableForeignKey({
    name: `fk_${table}_user_id`,
    columnNames: ['user_id'],
    referencedTableName: 'users',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

/** TOTP two-factor: `users.mfa_enabled` (added without a table rebuild), secrets, recovery codes, login challenges. */
export class Mfa1764900000000 implements MigrationInterface {
  name = 'Mfa1764900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const kind = kindOf(queryRunner);
    const t = migrationTypes(kind);
    const isFalse = kind === 'postgres' ? 'false' : '0';
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "mfa_enabled" boolean NOT NULL DEFAULT ${isFalse}`);
    await queryRunner.createTable(
      new Table({
        name: 'user_mfa',
        columns: [
          { name: 'user_id', type: 'integer', isPrimary: true },
          { name: 'totp_secret', type: 'text', isNullable: false },
          { name: 'last_used_step', type: 'integer', isNullable: true },
          { name: 'created_at', type: t.timestamp, isNullable: false },
        ],
        foreignKeys: [userFk('user_mfa')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'mfa_recovery_codes',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'user_id', type: 'integer', isNullable: false },
          { name: 'code_hash', type: 'varchar', length: '64', isNullable: false },
          { name: 'used_at', type: t.timestamp, isNullable: true },
        ],
        foreignKeys: [userFk('mfa_recovery_codes')],
        indices: [new TableIndex({ name: 'ix_mfa_recovery_codes_user_id', columnNames: ['user_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'mfa_challenges',
        columns: [
          { name: 'id', type: t.uuid, isPrimary: true },
          { name: 'user_id', type: 'integer', isNullable: false },
          { name: 'created_at', type: t.timestamp, isNullable: false },
          { name: 'expires_at', type: t.timestamp, isNullable: false },
          { name: 'used_at', type: t.timestamp, isNullable: true },
        ],
        foreignKeys: [userFk('mfa_challenges')],
        indices: [
          new TableIndex({ name: 'ix_mfa_challenges_user_id', columnNames: ['user_id'] }),
          new TableIndex({ name: 'ix_mfa_challenges_expires_at', columnNames: ['expires_at'] }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('mfa_challenges');
    await queryRunner.dropTable('mfa_recovery_codes');
    await queryRunner.dropTable('user_mfa');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "mfa_enabled"');
  }
}
