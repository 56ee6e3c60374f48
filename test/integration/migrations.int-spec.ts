import { DataSource } from 'typeorm';
import { appConfig } from '../../src/config/config';
import { dataSourceOptions } from '../../src/database/data-source';
import { dropDatabase, ensureDatabase } from '../../src/database/ensure-database';

describe('migrations', () => {
  it('leave no difference between the entities and the schema (drift check)', async () => {
    const dataSource = new DataSource(dataSourceOptions(appConfig(), await ensureDatabase(appConfig())));
    await dataSource.initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('run up, down and up again on an empty database, with utf8mb4 tables', async () => {
    const config = appConfig();
    const name = `${config.db.name}_updown`;
    const flavor = await ensureDatabase(config, name);
    const dataSource = new DataSource(dataSourceOptions(config, flavor, { database: name }));
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.length).toBeGreaterThan(0);
      for (let i = 0; i < applied.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
      const left: Array<{ n: number }> = await dataSource.query(
        `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name <> 'migrations'`,
        [name],
      );
      expect(Number(left[0].n)).toBe(0);
      expect((await dataSource.runMigrations({ transaction: 'each' })).length).toBe(applied.length);
      const charsets: Array<{ c: string }> = await dataSource.query(
        `SELECT DISTINCT table_collation AS c FROM information_schema.tables WHERE table_schema = ?`,
        [name],
      );
      expect(charsets.map((r) => r.c).every((c) => c.startsWith('utf8mb4'))).toBe(true);
      await dataSource.query(`INSERT INTO units (name, code) VALUES ('马克思主义学院党委', 'MKS')`);
      expect((await dataSource.query(`SELECT name FROM units WHERE code = 'MKS'`))[0].name).toBe('马克思主义学院党委');
    } finally {
      await dataSource.destroy();
      await dropDatabase(config, name);
    }
  });
});
