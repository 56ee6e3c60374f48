/**
 * Migration commands: `run` (creates the database if missing, then applies every migration),
 * `revert` (undoes the last one) and `generate <Name>` (writes migrations/<timestamp>-<Name>.ts with the
 * difference between the entities and the current schema).
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { appConfig } from '../config/config';
import { dataSourceOptions } from './data-source';
import { ensureDatabase } from './ensure-database';

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const config = appConfig();
  const flavor = await ensureDatabase(config);
  const dataSource = new DataSource(dataSourceOptions(config, flavor));
  await dataSource.initialize();
  try {
    if (command === 'run') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'Schema is up to date.');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('Reverted the last migration.');
    } else if (command === 'generate') {
      if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error('usage: npm run migration:generate -- <PascalCaseName>');
      const sql = await dataSource.driver.createSchemaBuilder().log();
      if (sql.upQueries.length === 0) {
        console.log('No changes: the entities match the schema.');
        return;
      }
      const timestamp = Date.now();
      const quote = (q: string) => '`' + q.replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
      const up = sql.upQueries.map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n');
      const down = sql.downQueries.reverse().map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n');
      const file = join(__dirname, '..', '..', '..', 'migrations', `${timestamp}-${name}.ts`);
      writeFileSync(
        file,
        `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${timestamp} implements MigrationInterface {\n  name = '${name}${timestamp}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
      );
      console.log(`Wrote ${file}`);
    } else {
      throw new Error('usage: cli.js run | revert | generate <Name>');
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
