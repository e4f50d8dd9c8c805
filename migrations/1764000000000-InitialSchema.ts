import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { migrationTypes } from '../src/database/columns';
import { DatabaseKind } from '../src/database/database-url';

const kindOf = (queryRunner: QueryRunner): DatabaseKind =>
  queryRunner.connection.driver.options.type === 'postgres' ? 'postgres' : 'sqlite';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const kind = kindOf(queryRunner);
    const t = migrationTypes(kind);

    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'email', type: 'varchar', length: '255', isNullable: false },
          { name: 'hashed_password', type: 'varchar', length: '255', isNullable: false },
          { name: 'is_active', type: 'boolean', isNullable: false },
          { name: 'is_admin', type: 'boolean', isNullable: false },
          { name: 'created_at', type: t.timestamp, isNullable: false },
          { name: 'updated_at', type: t.timestamp, isNullable: false },
        ],
        indices: [new TableIndex({ name: 'ux_users_email', columnNames: ['email'], isUnique: true })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'user_id', type: 'integer', isNullable: false },
          { name: 'family_id', type: 'varchar', length: '36', isNullable: false },
          { name: 'access_token_jti', type: 'varchar', length: '36', isNullable: false },
          { name: 'refresh_token_jti', type: 'varchar', length: '36', isNullable: false },
          { name: 'is_valid', type: 'boolean', isNullable: false },
          { name: 'created_at', type: t.timestamp, isNullable: false },
          { name: 'expires_at', type: t.timestamp, isNullable: false },
          { name: 'rotated_at', type: t.timestamp, isNullable: true },
          { name: 'replaced_by_id', type: 'integer', isNullable: true },
          { name: 'ip_address', type: 'varchar', length: '45', isNullable: true },
          { name: 'user_agent', type: 'varchar', length: '500', isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_sessions_user_id',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'ix_sessions_user_id', columnNames: ['user_id'] }),
          new TableIndex({ name: 'ix_sessions_family_id', columnNames: ['family_id'] }),
          new TableIndex({ name: 'ux_sessions_access_token_jti', columnNames: ['access_token_jti'], isUnique: true }),
          new TableIndex({ name: 'ux_sessions_refresh_token_jti', columnNames: ['refresh_token_jti'], isUnique: true }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'audit_logs',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'action', type: 'varchar', length: '100', isNullable: false },
          { name: 'resource', type: 'varchar', length: '100', isNullable: true },
          { name: 'resource_id', type: 'varchar', length: '255', isNullable: true },
          { name: 'details', type: 'text', isNullable: true },
          { name: 'ip_address', type: 'varchar', length: '45', isNullable: true },
          { name: 'user_agent', type: 'varchar', length: '500', isNullable: true },
          { name: 'status_code', type: 'integer', isNullable: false },
          { name: 'request_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'created_at', type: t.timestamp, isNullable: false },
        ],
        indices: [
          new TableIndex({ name: 'ix_audit_logs_user_id', columnNames: ['user_id'] }),
          new TableIndex({ name: 'ix_audit_logs_action', columnNames: ['action'] }),
          new TableIndex({ name: 'ix_audit_logs_request_id', columnNames: ['request_id'] }),
          new TableIndex({ name: 'ix_audit_logs_created_at_id', columnNames: ['created_at', 'id'] }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_logs');
    await queryRunner.dropTable('sessions');
    await queryRunner.dropTable('users');
  }
}
