import { createConnection } from 'mysql2/promise';
import { AppConfig } from '../config/config';

/** Raised when MySQL/MariaDB cannot be reached; the message names the fix. */
export class DatabaseUnreachableError extends Error {}

export function databaseFix(config: AppConfig): string {
  return (
    `Cannot reach MySQL/MariaDB at ${config.db.user}@${config.db.host}:${config.db.port}. ` +
    `Start it (Debian: "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd", ` +
    `or "apt-get install -y mariadb-server" if it is missing), or point DB_HOST/DB_PORT/DB_USER/DB_PASSWORD at your server.`
  );
}

/**
 * The server's flavour matters to TypeORM's schema introspection only (MariaDB reports the default of a
 * nullable column as the string 'NULL'); the migrations themselves are the same SQL for both.
 */
export type DatabaseFlavor = 'mysql' | 'mariadb';

/**
 * Creates the database (utf8mb4) when missing and tells which server this is; fails with a clear message
 * when the server is unreachable.
 */
export async function ensureDatabase(config: AppConfig, name = config.db.name): Promise<DatabaseFlavor> {
  let connection;
  try {
    connection = await createConnection({
      host: config.db.host,
      port: config.db.port,
      user: config.db.user,
      password: config.db.password,
      connectTimeout: 5000,
    });
  } catch (error) {
    throw new DatabaseUnreachableError(`${databaseFix(config)} (${(error as Error).message || String(error)})`);
  }
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return /mariadb/i.test((rows as Array<{ version: string }>)[0].version) ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}

export async function dropDatabase(config: AppConfig, name: string): Promise<void> {
  const connection = await createConnection({
    host: config.db.host,
    port: config.db.port,
    user: config.db.user,
    password: config.db.password,
  });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}

/** Commands that need the current schema stop with the fix instead of failing on a missing table. */
export async function assertSchemaCurrent(dataSource: import('typeorm').DataSource): Promise<void> {
  if (await dataSource.showMigrations()) {
    throw new Error('The database schema is behind the code: run `npm run migration:run` first.');
  }
}
