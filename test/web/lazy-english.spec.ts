import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const WEB = join(__dirname, '..', '..', 'web', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/**
 * English is a chunk of its own, loaded when someone chooses it: only i18n/english.ts gathers the English
 * dictionaries, and only a dynamic import reaches it. A static import anywhere would pull English into the
 * bundle every Chinese visit downloads.
 */
describe('the English dictionaries stay out of the main bundle', () => {
  it('are imported (other than for types) by nothing but i18n/english.ts, which is reached by a dynamic import only', () => {
    const english = /(?:^|\/)(?:en|english|errors\.en|problems\.en)$/;
    const offenders = sources(WEB).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)(?! type)[^'\n]*from '([^']+)'/gm)]
        .filter(([, target]) => english.test(target) && relative(WEB, file) !== join('i18n', 'english.ts'))
        .map(([, target]) => `${relative(WEB, file)} → ${target}`),
    );
    expect(offenders).toEqual([]);
    expect(readFileSync(join(WEB, 'i18n', 'index.tsx'), 'utf8')).toMatch(/await import\('\.\/english'\)/);
  });
});
