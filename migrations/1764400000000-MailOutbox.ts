import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { migrationTypes } from '../src/database/columns';
import { DatabaseKind } from '../src/database/database-url';

const kindOf = (queryRunner: QueryRunner): DatabaseKind =>
  queryRunner.connection.driver.options.type === 'postgres' ? 'postgres' : 'sqlite';

/** The durable mail outbox (src/mail): one row per message, claimed by one worker at a time. */
export class MailOutbox1764400000000 implements MigrationInterface {
  name = 'MailOutbox1764400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const t = migrationTypes(kindOf(queryRunner));
    await queryRunner.createTable(
      new Table({
        name: 'mail_outbox',
        columns: [
          { name: 'id', type: t.uuid, isPrimary: true },
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'to_address', type: 'varchar', length: '320', isNullable: false },
          { name: 'subject', type: 'varchar', length: '500', isNullable: false },
          { name: 'body', type: 'text', isNullable: true },
          { name: 'attempts', type: 'integer', isNullable: false },
          { name: 'next_attempt_at', type: t.timestamp, isNullable: false },
          { name: 'claimed_until', type: t.timestamp, isNullable: true },
          { name: 'sent_at', type: t.timestamp, isNullable: true },
          { name: 'last_error', type: 'varchar', length: '1000', isNullable: true },
          { name: 'created_at', type: t.timestamp, isNullable: false },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_mail_outbox_user_id',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'ix_mail_outbox_due', columnNames: ['sent_at', 'next_attempt_at'] }),
          new TableIndex({ name: 'ix_mail_outbox_user_id', columnNames: ['user_id'] }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('mail_outbox');
  }
}
