import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { migrationTypes } from '../src/database/columns';
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

/** Strava connections (src/connections): tokens sealed at rest, one-time OAuth states, webhook events, the API pause. */
export class StravaConnections1764800000000 implements MigrationInterface {
  name = 'StravaConnections1764800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const t = migrationTypes(kindOf(queryRunner));
    await queryRunner.createTable(
      new Table({
        name: 'provider_connections',
        columns: [
          { name: 'id', type: t.uuid, isPrimary: true },
          { name: 'user_id', type: 'integer', isNullable: false },
          { name: 'provider', type: 'varchar', length: '20', isNullable: false },
          { name: 'athlete_id', type: 'varchar', length: '20', isNullable: false },
          { name: 'scopes', type: t.json, isNullable: false },
          { name: 'access_token', type: 'text', isNullable: false },
          { name: 'refresh_token', type: 'text', isNullable: false },
          { name: 'access_expires_at', type: t.timestamp, isNullable: false },
          { name: 'status', type: 'varchar', length: '20', isNullable: false },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          { name: 'connected_at', type: t.timestamp, isNullable: false },
          { name: 'last_sync_at', type: t.timestamp, isNullable: true },
          { name: 'updated_at', type: t.timestamp, isNullable: false },
        ],
        foreignKeys: [userForeignKey('provider_connections')],
        indices: [
          new TableIndex({
            name: 'ux_provider_connections_user_id_provider',
            columnNames: ['user_id', 'provider'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'ux_provider_connections_provider_athlete_id',
            columnNames: ['provider', 'athlete_id'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oauth_states',
        columns: [
          { name: 'nonce_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'integer', isNullable: false },
          { name: 'provider', type: 'varchar', length: '20', isNullable: false },
          { name: 'expires_at', type: t.timestamp, isNullable: false },
          { name: 'used_at', type: t.timestamp, isNullable: true },
          { name: 'created_at', type: t.timestamp, isNullable: false },
        ],
        foreignKeys: [userForeignKey('oauth_states')],
        indices: [
          new TableIndex({ name: 'ix_oauth_states_expires_at', columnNames: ['expires_at'] }),
          new TableIndex({ name: 'ix_oauth_states_user_id', columnNames: ['user_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'strava_webhook_events',
        columns: [
          { name: 'id', type: t.uuid, isPrimary: true },
          { name: 'event_key', type: 'varchar', length: '120', isNullable: false },
          { name: 'owner_id', type: 'varchar', length: '20', isNullable: false },
          { name: 'object_type', type: 'varchar', length: '20', isNullable: false },
          { name: 'object_id', type: 'varchar', length: '20', isNullable: false },
          { name: 'aspect_type', type: 'varchar', length: '20', isNullable: false },
          { name: 'updates', type: t.json, isNullable: true },
          { name: 'event_time', type: t.timestamp, isNullable: false },
          { name: 'received_at', type: t.timestamp, isNullable: false },
          { name: 'processed_at', type: t.timestamp, isNullable: true },
          { name: 'outcome', type: 'varchar', length: '200', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'ux_strava_webhook_events_event_key', columnNames: ['event_key'], isUnique: true }),
          new TableIndex({ name: 'ix_strava_webhook_events_received_at', columnNames: ['received_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'provider_rate_limits',
        columns: [
          { name: 'provider', type: 'varchar', length: '20', isPrimary: true },
          { name: 'paused_until', type: t.timestamp, isNullable: true },
          { name: 'reason', type: 'varchar', length: '200', isNullable: true },
        ],
      }),
    );
    await queryRunner.query(`INSERT INTO provider_rate_limits (provider) VALUES ('strava')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('provider_rate_limits');
    await queryRunner.dropTable('strava_webhook_events');
    await queryRunner.dropTable('oauth_states');
    await queryRunner.dropTable('provider_connections');
  }
}
