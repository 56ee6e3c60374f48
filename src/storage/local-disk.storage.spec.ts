import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDiskStorage } from './local-disk.storage';
import type { StorageDriver } from './storage';

describe('LocalDiskStorage.putBytes', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'bst-local-storage-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores the bytes under the key, replaces them whole, and leaves no partial file', async () => {
    const storage: StorageDriver = new LocalDiskStorage(root);
    expect(await storage.putBytes('certificates/7/1.pdf', Buffer.from('第一版'), 'application/pdf')).toEqual({ size: 9 });
    expect(await storage.putBytes('certificates/7/1.pdf', Buffer.from('二'), 'application/pdf')).toEqual({ size: 3 });
    await storage.putBytes('certificates/7/2.pdf', Buffer.from('x'), 'application/pdf');
    expect(readFileSync(join(root, 'certificates/7/1.pdf'), 'utf8')).toBe('二');
    expect(readdirSync(join(root, 'certificates/7')).sort()).toEqual(['1.pdf', '2.pdf']);
    expect(await storage.stat('certificates/7/2.pdf')).toEqual({ size: 1 });
  });

  it('makes the folder again when it was removed after its first file', async () => {
    const storage: StorageDriver = new LocalDiskStorage(root);
    await storage.putBytes('certificates/8/1.pdf', Buffer.from('a'), 'application/pdf');
    rmSync(join(root, 'certificates/8'), { recursive: true });
    await storage.putBytes('certificates/8/2.pdf', Buffer.from('b'), 'application/pdf');
    expect(readdirSync(join(root, 'certificates/8'))).toEqual(['2.pdf']);
  });

  it('refuses a key that leaves the storage root', async () => {
    const storage: StorageDriver = new LocalDiskStorage(root);
    await expect(storage.putBytes('../outside.pdf', Buffer.from('x'), 'application/pdf')).rejects.toThrow('escapes');
  });
});
