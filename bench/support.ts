import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '../src/config/config';
import { dataSourceOptions } from '../src/database/data-source';
import { dropDatabase, ensureDatabase } from '../src/database/ensure-database';

/** A fresh database for one benchmark, migrated like production; dropped by the returned cleanup. */
export async function benchDatabase(suffix: string): Promise<{ config: AppConfig; dataSource: DataSource; drop: () => Promise<void> }> {
  const base = loadConfig(process.env);
  const env = { ...process.env, DB_NAME: `${base.db.name}_bench_${suffix}`, REDIS_PREFIX: `${base.redis.prefix}-bench`, LOG_LEVEL: 'silent' };
  Object.assign(process.env, env);
  const config = loadConfig(env);
  await dropDatabase(config, config.db.name).catch(() => undefined);
  const flavor = await ensureDatabase(config);
  const dataSource = new DataSource(dataSourceOptions(config, flavor));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    config,
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await dropDatabase(config, config.db.name);
    },
  };
}

export function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}
