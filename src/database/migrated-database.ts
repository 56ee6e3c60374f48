import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { dataSourceOptions } from './data-source';
import { assertSchemaCurrent, type DatabaseFlavor } from './ensure-database';

/**
 * What the command-line tools (src/cli) ask of the database before any module's service runs: the schema
 * brought up to date, or checked to be. Other modules' tables are then written through their services.
 */

/**
 * Applies the pending migrations on a data source of its own, then runs `work` on it (for a tool that
 * writes outside the app, such as the scale seed) with the applied migrations' names.
 */
export async function withMigratedDatabase<T>(
  config: AppConfig,
  flavor: DatabaseFlavor,
  work: (dataSource: DataSource, applied: string[]) => Promise<T>,
): Promise<T> {
  const dataSource = new DataSource({ ...dataSourceOptions(config, flavor), logging: false });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return await work(dataSource, applied.map((migration) => migration.name));
  } finally {
    await dataSource.destroy();
  }
}

/** Applies the pending migrations; returns their names. */
export function applyMigrations(config: AppConfig, flavor: DatabaseFlavor): Promise<string[]> {
  return withMigratedDatabase(config, flavor, async (_dataSource, applied) => applied);
}

/** A tool built from the app's modules stops with the fix when the schema is behind the code. */
export async function assertAppSchemaCurrent(app: INestApplicationContext): Promise<void> {
  await assertSchemaCurrent(app.get(DataSource));
}
