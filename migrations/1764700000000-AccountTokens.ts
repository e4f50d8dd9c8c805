import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { migrationTypes } from '../src/database/columns';
import { DatabaseKind } from '../src/database/database-url';

const kindOf = (queryRunner: QueryRunner): DatabaseKind =>
  queryRunner.connection.driver.options.type === 'postgres' ? 'postgres' : 'sqlite';

/**
 * Mailed tokens (password reset, email verification and change) and `users.email_verified`.
 * The column is added with plain `ALTER TABLE ... ADD COLUMN` (no table rebuild on SQLite, where a
 * rebuild with foreign keys on would cascade-delete sessions); existing accounts count as verified.
 */
export class AccountTokens1764700000000 implements MigrationInterface {
  name = 'AccountTokens1764700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const kind = kindOf(queryRunner);
    const t = migrationTypes(kind);
    // Spelled as each engine (and TypeORM's schema diff) writes a true boolean.
    const isTrue = kind === 'postgres' ? 'true' : '1';
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "email_verified" boolean NOT NULL DEFAULT ${isTrue}`);
    await queryRunner.createTable(
      new Table({
        name: 'account_tokens',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'user_id', type: 'integer', isNullable: false },
          { name: 'purpose', type: 'varchar', length: '20', isNullable: false },
          { name: 'token_hash', type: 'varchar', length: '64', isNullable: false },
          { name: 'new_email', type: 'varchar', length: '255', isNullable: true },
          { name: 'session_id', type: 'integer', isNullable: true },
          { name: 'created_at', type: t.timestamp, isNullable: false },
          { name: 'expires_at', type: t.timestamp, isNullable: false },
          { name: 'used_at', type: t.timestamp, isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_account_tokens_user_id',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'ux_account_tokens_token_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_account_tokens_user_id_purpose', columnNames: ['user_id', 'purpose'] }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('account_tokens');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "email_verified"');
  }
}
