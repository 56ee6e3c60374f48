import { loadConfig } from '../../src/config/config';
import { dropDatabase } from '../../src/database/ensure-database';

export default async function globalTeardown(): Promise<void> {
  require('./env');
  if (process.env.KEEP_TEST_DB) return;
  const config = loadConfig(process.env);
  await dropDatabase(config, config.db.name).catch(() => undefined);
}
