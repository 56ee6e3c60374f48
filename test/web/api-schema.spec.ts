import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const API = join(ROOT, 'web', 'src', 'api');

/**
 * The web's API types are generated from the OpenAPI document (`npm run web:api`): web/src/api/schema.d.ts must be
 * exactly what openapi-typescript makes of web/src/api/openapi.json, so a changed document is never shipped with
 * stale types.
 */
describe('the web API types', () => {
  it('are what the generator makes from the OpenAPI document (run `npm run web:api` after `npm run openapi`)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'web-api-'));
    try {
      const fresh = join(dir, 'schema.d.ts');
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), join(API, 'openapi.json'), '-o', fresh], { stdio: 'pipe' });
      expect(readFileSync(join(API, 'schema.d.ts'), 'utf8')).toBe(readFileSync(fresh, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
