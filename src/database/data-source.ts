import 'reflect-metadata';
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/config';
import type { DatabaseFlavor } from './ensure-database';

/**
 * The one DataSource definition shared by the app, the migration CLI and the tests (the flavour comes from
 * ensureDatabase, which every entry point calls first).
 * Globs work from both the TypeScript sources (tests) and the compiled dist/ tree.
 */
export function dataSourceOptions(
  config: AppConfig,
  flavor: DatabaseFlavor,
  overrides: Partial<DataSourceOptions> = {},
): DataSourceOptions {
  const root = join(__dirname, '..', '..');
  return {
    type: flavor,
    host: config.db.host,
    port: config.db.port,
    username: config.db.user,
    password: config.db.password,
    database: config.db.name,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    poolSize: config.db.poolSize,
    entities: [join(root, 'src', '**', '*.entity.{ts,js}')],
    migrations: [join(root, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Failed queries surface through the exception filter (500s are logged there); DB_LOGGING shows every query.
    logging: config.db.logging ? ['query', 'error'] : false,
    connectTimeout: 5000,
    ...overrides,
  } as DataSourceOptions;
}
