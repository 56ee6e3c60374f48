import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

/** The server's source files (tests and specs left out), with the relative imports each one makes. */
export const ROOT = resolve(__dirname, '../..');
export const SRC = join(ROOT, 'src');

export function sourceFiles(dir = SRC): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** The files of src/ that `file` imports (type-only imports included: they tie folders together too). */
export function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((ref) => ref.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolveImport(dirname(file), spec))
    .filter((target): target is string => target !== undefined);
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(from, spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this candidate
    }
  }
  return undefined;
}

/** The top folder under src/ a file lives in (`courses`, `common`), or the file's own name for src/*.ts. */
export function folderOf(file: string): string {
  return relative(SRC, file).split('/')[0];
}
