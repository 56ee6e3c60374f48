import { seedBranchWork } from '../../src/database/branch-work-seed';
import { SYSTEM_ACTOR } from '../../src/common/auth-user';
import { BranchWorkService } from '../../src/reports/branch-work.service';
import { uniq } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** The province of `seed:scale -- --branch-work`: a year of records per branch, some behind, and an overview that counts them. */
describe('seed:scale --branch-work', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('fills each branch’s year after the shipped norms, with branches behind and records in every state', async () => {
    const year = 2041;
    const result = await seedBranchWork(t.dataSource, { branches: 70, branchesPerUnit: 35, year, tag: `-${uniq()}`, passwordHash: 'x' });
    expect(result).toMatchObject({ units: 2, branches: 70, year });
    // 48 slots a branch; behind branches (one in seven) skip about a third, the others a few.
    expect(result.records).toBeGreaterThan(70 * 48 * 0.8);
    expect(result.records).toBeLessThan(70 * 48);
    const byStatus: { status: string; n: string }[] = await t.dataSource.query(`SELECT status, COUNT(*) AS n FROM branch_records WHERE year = ? GROUP BY status`, [year]);
    expect(byStatus.map((r) => r.status).sort()).toEqual(['accepted', 'draft', 'returned', 'submitted']);

    const report = await t.app.get(BranchWorkService).compliance(SYSTEM_ACTOR, { year }, new Date(Date.UTC(year + 1, 5, 1)));
    const seeded = report.byUnit.filter((u) => u.name.endsWith(result.adminUsername.replace('work-admin', '')));
    expect(seeded.reduce((n, u) => n + u.branches, 0)).toBe(70);
    const [{ accepted }] = await t.dataSource.query(`SELECT COUNT(*) AS accepted FROM branch_records WHERE year = ? AND status = 'accepted'`, [year]);
    expect(seeded.reduce((n, u) => n + u.accepted, 0)).toBe(Number(accepted));
    expect(seeded.reduce((n, u) => n + u.branchesBehind, 0)).toBeGreaterThan(0);
  });
});
