import { NormVersion } from '../../src/norms/norm-version.entity';
import { shippedNorms } from '../../src/norms/norm-set';
import { NormsModule } from '../../src/norms/norms.module';
import { NormsService } from '../../src/norms/norms.service';
import { createServiceModule, type ServiceModule } from '../support/service-module';

describe('NormsService (real database)', () => {
  let m: ServiceModule;
  let norms: NormsService;
  // Years far from any other test's, each case its own.
  const base = 2400 + Math.floor(Math.random() * 500) * 3;

  beforeAll(async () => {
    m = await createServiceModule({ imports: [NormsModule] });
    norms = m.get(NormsService);
  });
  afterAll(() => m.close());

  it('a year nobody set starts from the shipped norms, stored once even when asked for at the same moment', async () => {
    const sets = await Promise.all(Array.from({ length: 8 }, () => norms.forYear(base)));
    expect(new Set(sets.map((s) => s.versionId)).size).toBe(1);
    expect(sets[0].version).toBe(1);
    expect(sets[0].items.map((n) => n.kind)).toEqual(shippedNorms().map((n) => n.kind));
    expect(await m.dataSource.getRepository(NormVersion).countBy({ year: base })).toBe(1);
  });

  it('saving adds a version; the old one and its norms stay; the next year starts from the newest', async () => {
    const first = await norms.forYear(base + 1);
    const saved = await norms.replace(base + 1, [{ kind: 'theme_day', name: '主题党日', minCount: 2, per: 'month', branchKinds: ['staff'], requires: ['photos'] }], '1');
    expect(saved.version).toBe(2);
    expect(saved.items).toEqual([expect.objectContaining({ kind: 'theme_day', minCount: 2, branchKinds: ['staff'], requires: ['photos'] })]);
    expect((await norms.forYear(base + 1)).versionId).toBe(saved.versionId);
    expect(first.items.length).toBe(shippedNorms().length);
    const next = await norms.forYear(base + 2);
    expect(next.items.map((n) => [n.kind, n.minCount])).toEqual([['theme_day', 2]]);
  });

  it('two saves at the same moment both land, as consecutive versions', async () => {
    await norms.forYear(base + 2);
    const item = { kind: 'party_lecture', name: '党课', minCount: 1, per: 'quarter' as const, branchKinds: ['student' as const], requires: [] };
    const saved = await Promise.all([norms.replace(base + 2, [item], '1'), norms.replace(base + 2, [item], '1')]);
    expect(saved.map((s) => s.version).sort()).toEqual([2, 3]);
  });
});
