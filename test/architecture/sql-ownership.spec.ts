import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { folderOf, ROOT, SRC, sourceFiles } from './source-graph';

/**
 * One owner per table: only the owning module's repositories (`<module>/<name>.repository.ts`) run SQL,
 * and only on that module's tables. Other modules ask the owner. Three declared exceptions:
 * - src/database/ is the infrastructure below every module (the data source, migrations runner, seeding);
 * - src/reports/ is a read model: its repository reads other modules' tables, for reporting only;
 * - src/access/ is a read model for authorization (immich's AccessRepository): it reads the courses,
 *   activities, course_instructors, enrollments and users tables to decide who may see or do what (and gives
 *   where people are placed, for the copies progress keeps), and writes nothing.
 */
const SQL_ACCESS = [
  /\bDataSource\b/,
  /\bInjectRepository\b/,
  /\.query\(/,
  /\bcreateQueryBuilder\(/,
  /\bgetRepository\(/,
  /\.transaction\(/,
  /\bmanager\.(find|findOne|findBy|findOneBy|save|insert|update|delete|upsert|increment|decrement|count|countBy|exists|existsBy|remove|sum|maximum|minimum)\b/,
];
const INFRASTRUCTURE = new Set(['database']);
// access: reads courses/activities/course_instructors/enrollments/users to answer who may do what (see above).
const READ_MODELS = new Set(['reports', 'access']);

const isRepository = (file: string) => basename(file).endsWith('.repository.ts');

/** table → owning module, read from the @Entity('table') declarations. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of sourceFiles()) {
    for (const match of readFileSync(file, 'utf8').matchAll(/@Entity\(\s*'([a-z_]+)'/g)) owners.set(match[1], folderOf(file));
  }
  return owners;
}

describe('SQL ownership', () => {
  it('only repositories (and the database infrastructure) reach the database', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles()) {
      const folder = folderOf(file);
      if (isRepository(file) || INFRASTRUCTURE.has(folder)) continue;
      const text = readFileSync(file, 'utf8');
      for (const pattern of SQL_ACCESS) if (pattern.test(text)) offenders.push(`${relative(ROOT, file)}: ${pattern.source}`);
    }
    expect(offenders).toEqual([]);
  });

  it("a repository's SQL names only its own module's tables (the declared read models excepted)", () => {
    const owners = tableOwners();
    const offenders: string[] = [];
    for (const file of sourceFiles().filter(isRepository)) {
      const folder = folderOf(file);
      if (READ_MODELS.has(folder)) continue;
      const text = readFileSync(file, 'utf8');
      for (const [table, owner] of owners) {
        if (owner === folder) continue;
        const inSql = new RegExp(`\\b(FROM|JOIN|INTO|UPDATE|TABLE)\\s+\`?${table}\`?\\b`, 'i');
        if (inSql.test(text)) offenders.push(`${relative(SRC, file)} names ${table} (owned by ${owner})`);
      }
      for (const match of text.matchAll(/from '\.\.\/([a-z-]+)\/[^']+\.entity'/g)) {
        if (match[1] !== folder) offenders.push(`${relative(SRC, file)} imports an entity of ${match[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
