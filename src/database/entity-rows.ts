import type { Driver } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/**
 * Statements on every request's path (the session check, the missions' reads and insert) are written once
 * by TypeORM's query builder or from the entity's metadata, then sent as plain SQL: building a query and
 * mapping its rows through the query builder on each request was most of TypeORM's share of the CPU.
 * These two functions are the mapping half, both ways, so those statements keep TypeORM's conversions.
 */

/**
 * Maps one raw row's `<alias>_<column>` values to an entity the way TypeORM's own result transformer does
 * (the driver's value conversion and the columns' transformers), without the query builder around it.
 */
export function columnReader(
  metadata: EntityMetadata,
  alias: string,
): (row: Record<string, unknown>, driver: Driver) => object {
  let columns: [string, ColumnMetadata][] | undefined;
  return (row, driver) => {
    columns ??= metadata.columns
      .filter((column) => !column.isVirtual)
      .map((column) => [DriverUtils.buildAlias(driver, undefined, alias, column.databaseName), column]);
    const entity = metadata.create(undefined, { fromDeserializer: true }) as object;
    for (const [key, column] of columns) {
      const value = row[key];
      if (value !== undefined) {
        column.setEntityValue(entity, driver.prepareHydratedValue(value, column));
      }
    }
    return entity;
  };
}

/**
 * An INSERT of `rows` rows (1 by default) of every column of `metadata`'s table that the database does not
 * generate, in the order of its metadata, and the function that turns entities into its parameters the way
 * TypeORM's insert does (the driver's conversion for the column type: JSON documents, timestamps, booleans;
 * and the columns' transformers). Every value is a placeholder, so the text is the same whatever the values
 * and the driver's statement cache keeps one prepared statement per shape.
 */
export function entityInsert(
  metadata: EntityMetadata,
  driver: Driver,
  rows = 1,
): { sql: string; parameters(...entities: object[]): unknown[] } {
  const columns = metadata.columns.filter((column) => !column.isVirtual && column.isInsert && !column.isGenerated);
  const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
  const tuples = Array.from(
    { length: rows },
    (_, row) =>
      `(${columns.map((column, i) => driver.createParameter(column.databaseName, row * columns.length + i)).join(', ')})`,
  );
  return {
    sql: `INSERT INTO ${driver.escape(metadata.tableName)} (${names}) VALUES ${tuples.join(', ')}`,
    parameters: (...entities) =>
      entities.flatMap((entity) =>
        // A value left out is NULL: the statement names every column whatever the entity holds.
        columns.map(
          (column) => (driver.preparePersistentValue(column.getEntityValue(entity), column) ?? null) as unknown,
        ),
      ),
  };
}
