import type { INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { AssessmentRoundsService } from '../../src/assessments/assessment-rounds.service';
import { Reflection } from '../../src/readings/reflection.entity';
import { beijingTime, makePlan, makeRecord } from '../factories/branch-work.factory';
import { markCompleted, pdfText } from '../factories/certificate.factory';
import { makeActivity, makeCourse } from '../factories/course-rows.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { eventually } from '../support/eventually';
import { createTestApp, TestApp } from '../support/test-app';
import { startWorker } from '../support/worker-context';

/** The year assessed: a past year, so every period of the norms has begun (the test database is fresh per run). */
const YEAR = 2019;
const SCHEME = {
  indicators: [
    { key: 'completion', name: '培训完成率', weight: 15, source: 'auto', measure: 'training.completion' },
    { key: 'hours', name: '学时', weight: 15, source: 'auto', measure: 'training.hours', target: 32 },
    { key: 'compliance', name: '组织生活达标', weight: 20, source: 'auto', measure: 'handbook.compliance' },
    { key: 'ontime', name: '记录及时', weight: 10, source: 'auto', measure: 'handbook.onTime' },
    { key: 'plan', name: '计划完成', weight: 10, source: 'auto', measure: 'plan.done' },
    { key: 'excellent', name: '优秀心得', weight: 5, source: 'auto', measure: 'reflections.excellent' },
    { key: 'suggest', name: '意见建议', weight: 5, source: 'auto', measure: 'suggestions.made', target: 2 },
    { key: 'quality', name: '记录质量', weight: 10, source: 'manual' },
    { key: 'review', name: '民主评议', weight: 10, source: 'manual' },
  ],
  bands: [
    { grade: 'excellent', min: 85 },
    { grade: 'good', min: 70 },
    { grade: 'fair', min: 40 },
    { grade: 'poor', min: 0 },
  ],
  excellentCap: 0.3,
};
const round2 = (x: number) => Math.round(x * 100) / 100;

describe('assessments 考核评估 (e2e)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let dept: string;
  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    dept = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  async function waitComputed(id: string) {
    const round = await eventually(
      async () => (await t.get(`/api/assessments/rounds/${id}`, dept)).json(),
      (r) => r.state === 'computed' || r.state === 'failed',
      30_000,
    );
    expect(round).toMatchObject({ state: 'computed' });
    expect(round.done).toBe(round.total);
    return round;
  }

  it('keeps the scheme as data and refuses one that does not add up', async () => {
    const unit = await makeUnit(t.dataSource);
    const unitAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unit.id })).username);
    expect((await t.put(`/api/assessments/schemes/${YEAR}`, SCHEME, unitAdmin)).json().code).toBe('DEPARTMENT_ONLY');
    const heavy = { ...SCHEME, indicators: SCHEME.indicators.map((i, n) => (n === 0 ? { ...i, weight: 25 } : i)) };
    const weights = await t.put(`/api/assessments/schemes/${YEAR}`, heavy, dept);
    expect(weights.statusCode).toBe(400);
    expect(weights.json()).toMatchObject({ code: 'SCHEME_WEIGHTS_NOT_100' });
    expect(weights.json().message).toContain('权重之和须为 100');
    const noMeasure = { ...SCHEME, indicators: SCHEME.indicators.map((i, n) => (n === 0 ? { ...i, measure: undefined } : i)) };
    expect((await t.put(`/api/assessments/schemes/${YEAR}`, noMeasure, dept)).json().code).toBe('SCHEME_MEASURE_REQUIRED');
    const badBands = { ...SCHEME, bands: [{ grade: 'excellent', min: 60 }, { grade: 'good', min: 70 }, { grade: 'poor', min: 0 }] };
    expect((await t.put(`/api/assessments/schemes/${YEAR}`, badBands, dept)).json().code).toBe('SCHEME_BANDS_ORDER');
    const unknown = await t.put(`/api/assessments/schemes/${YEAR}`, { ...SCHEME, indicators: [{ ...SCHEME.indicators[0], measure: 'weather' }] }, dept);
    expect(unknown.statusCode).toBe(400);
    expect((await t.get(`/api/assessments/schemes/${YEAR}`, dept)).json().code).toBe('SCHEME_NOT_FOUND');

    const saved = await t.put(`/api/assessments/schemes/${YEAR}`, SCHEME, dept);
    expect(saved.statusCode).toBe(200);
    // The measure's default target is filled in, so the scheme says what full marks take.
    expect(saved.json().scheme.indicators[5]).toMatchObject({ key: 'excellent', target: 1 });
    expect((await t.get(`/api/assessments/schemes/${YEAR}`, unitAdmin)).json().scheme.excellentCap).toBe(0.3);
    expect((await t.get('/api/assessments/measures', unitAdmin)).json().items.map((m: { key: string }) => m.key)).toContain('handbook.compliance');
  });

  it('runs a round from the evidence, takes manual scores and adjustments with reasons, publishes and freezes it', async () => {
    const unit = await makeUnit(t.dataSource);
    const other = await makeUnit(t.dataSource);
    const branchA = await makeBranch(t.dataSource, unit);
    const branchB = await makeBranch(t.dataSource, unit);
    const branchC = await makeBranch(t.dataSource, other);
    const secretaryA = await makeUser(t.dataSource, { branch: branchA });
    const secretaryB = await makeUser(t.dataSource, { branch: branchB });
    const tokenA = await t.login(secretaryA.username);
    const tokenB = await t.login(secretaryB.username);
    const unitAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unit.id })).username);

    // The evidence of branch A's year: two courses (one completed), twelve committee meetings on time and one
    // group meeting handed in late, a plan of four items with one done, one 优秀心得, one suggestion.
    const first = await makeCourse(t.dataSource, { startsAt: beijingTime(YEAR, 3, 1), endsAt: beijingTime(YEAR, 4, 1), status: 'closed' });
    const second = await makeCourse(t.dataSource, { startsAt: beijingTime(YEAR, 5, 1), endsAt: beijingTime(YEAR, 6, 1), status: 'closed' });
    await markCompleted(t.dataSource, first.id, [secretaryA.id], 20);
    await t.dataSource.query(`INSERT INTO course_progress (course_id, user_id, required_total, credit_hours) VALUES (?, ?, 5, 4)`, [second.id, secretaryA.id]);
    const records = [];
    for (let month = 1; month <= 12; month++) records.push(await makeRecord(t.dataSource, branchA, { kind: 'committee_meeting', heldAt: beijingTime(YEAR, month, 10), status: 'accepted', createdBy: secretaryA.id }));
    const late = await makeRecord(t.dataSource, branchA, { kind: 'group_meeting', heldAt: beijingTime(YEAR, 6, 3), status: 'submitted', createdBy: secretaryA.id });
    await t.dataSource.query(`UPDATE branch_records SET submitted_at = ? WHERE id = ?`, [beijingTime(YEAR, 6, 20), late.id]);
    const plan = await makePlan(t.dataSource, branchA, YEAR, [
      { month: 1, kind: 'committee_meeting' },
      { month: 3, kind: 'party_lecture' },
      { month: 6, kind: 'theme_day' },
      { month: 9, kind: 'own' },
    ]);
    await t.dataSource.query(`INSERT INTO plan_item_records (plan_item_id, record_id, accepted) VALUES (?, ?, 1)`, [plan.items[0].id, records[0].id]);
    const reading = await makeActivity(t.dataSource, first, { type: 'reading' });
    await t.dataSource.getRepository(Reflection).save({ activityId: reading.id, courseId: first.id, userId: secretaryA.id, body: '心得', charCount: 2, status: 'approved', excellent: true } as Reflection);
    await t.dataSource.query(`INSERT INTO suggestions (author_id, unit_id, title, body, created_at) VALUES (?, ?, '建议', '多开展案例研讨', ?)`, [secretaryA.id, unit.id, beijingTime(YEAR, 7, 1)]);

    expect((await t.post('/api/assessments/rounds', { year: YEAR, schemeYear: YEAR }, unitAdmin)).statusCode).toBe(403);
    expect((await t.post('/api/assessments/rounds', { year: YEAR, schemeYear: 2001 }, dept)).json().code).toBe('SCHEME_NOT_FOUND');
    const started = await t.post('/api/assessments/rounds', { year: YEAR, schemeYear: YEAR }, dept);
    expect(started.statusCode).toBe(202);
    const { id, jobId } = started.json();
    expect(jobId).toContain(id);
    const round = await waitComputed(id);
    expect(round.total).toBeGreaterThanOrEqual(3);

    // Before publishing, the secretary sees nothing; the unit admin sees the provisional breakdown.
    expect((await t.get(`/api/branches/${branchA.id}/assessment?year=${YEAR}`, tokenA)).json().code).toBe('ASSESSMENT_NOT_PUBLISHED');
    const provisional = (await t.get(`/api/branches/${branchA.id}/assessment?year=${YEAR}`, unitAdmin)).json();
    expect(provisional.published).toBe(false);
    const line = (key: string, view = provisional) => view.indicators.find((l: { key: string }) => l.key === key);
    expect(line('completion')).toMatchObject({ score: 50, facts: { secretaries: 1, enrolled: 2, completed: 1 } });
    expect(line('hours')).toMatchObject({ value: 24, score: 75, facts: { hours: 24, target: 32 } });
    const compliance = line('compliance');
    expect(compliance.facts.met).toBe(12);
    expect(compliance.score).toBe(round2((12 / compliance.facts.required) * 100));
    expect(line('ontime')).toMatchObject({ score: round2((12 / 13) * 100), facts: { handedIn: 13, onTime: 12, withinDays: 7 } });
    expect(line('plan')).toMatchObject({ score: 25, facts: { items: 4, done: 1 } });
    expect(line('excellent')).toMatchObject({ score: 100, facts: { count: 1 } });
    expect(line('suggest')).toMatchObject({ score: 50, facts: { count: 1, target: 2 } });
    expect(line('quality')).toMatchObject({ score: null, source: 'manual' });

    // Manual scores: the unit admin for their own unit's branches, each with a reason.
    const manual = (branchId: string, token: string, scores: unknown[]) => t.put(`/api/assessments/rounds/${id}/branches/${branchId}/manual`, { scores }, token);
    expect((await manual(branchC.id, unitAdmin, [{ key: 'quality', score: 80, reason: '好' }])).json().code).toBe('BRANCH_NOT_FOUND');
    expect((await manual(branchA.id, unitAdmin, [{ key: 'plan', score: 80, reason: '好' }])).json().code).toBe('NOT_A_MANUAL_INDICATOR');
    const noReason = await manual(branchA.id, unitAdmin, [{ key: 'quality', score: 80 }]);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0]).toMatchObject({ field: 'scores.0.reason' });
    expect((await manual(branchA.id, unitAdmin, [{ key: 'quality', score: 101, reason: '好' }])).statusCode).toBe(400);
    expect((await manual(branchA.id, tokenA, [{ key: 'quality', score: 100, reason: '自评' }])).statusCode).toBe(403);
    expect((await manual(branchA.id, unitAdmin, [{ key: 'quality', score: 85, reason: '记录较完整' }])).statusCode).toBe(204);
    expect((await manual(branchA.id, unitAdmin, [{ key: 'quality', score: 90, reason: '补充材料后记录完整' }, { key: 'review', score: 80, reason: '民主评议为好' }])).statusCode).toBe(204);
    expect((await manual(branchB.id, unitAdmin, [{ key: 'quality', score: 70, reason: '一般' }, { key: 'review', score: 70, reason: '较好' }])).statusCode).toBe(204);

    // An adjustment of an automatic score: proposed with a reason, then decided by the department.
    const propose = await t.post(`/api/assessments/rounds/${id}/branches/${branchA.id}/adjustments`, { key: 'plan', score: 50, reason: '第二项因疫情顺延至次年，经党委同意' }, unitAdmin);
    expect(propose.statusCode).toBe(201);
    expect(propose.json()).toMatchObject({ branchName: branchA.name, state: 'proposed' });
    expect((await t.post(`/api/assessments/rounds/${id}/branches/${branchA.id}/adjustments`, { key: 'quality', score: 50, reason: '理由' }, unitAdmin)).json().code).toBe('NOT_AN_AUTO_INDICATOR');
    expect((await t.post(`/api/assessments/rounds/${id}/publish`, {}, dept)).json().code).toBe('ADJUSTMENTS_PENDING');
    const open = (await t.get(`/api/assessments/rounds/${id}/adjustments?state=proposed`, dept)).json().items;
    expect(open).toEqual([expect.objectContaining({ id: propose.json().id, branchId: branchA.id, branchName: branchA.name, key: 'plan', score: 50 })]);
    expect((await t.post(`/api/assessments/rounds/${id}/adjustments/${propose.json().id}/decision`, { accept: true }, unitAdmin)).json().code).toBe('DEPARTMENT_ONLY');
    expect((await t.post(`/api/assessments/rounds/${id}/adjustments/${propose.json().id}/decision`, { accept: true, comment: '同意' }, dept)).statusCode).toBe(204);
    expect((await t.post(`/api/assessments/rounds/${id}/adjustments/${propose.json().id}/decision`, { accept: false }, dept)).json().code).toBe('ADJUSTMENT_DECIDED');

    // Every branch needs its manual scores before publishing.
    const missing = await t.post(`/api/assessments/rounds/${id}/publish`, {}, dept);
    expect(missing.json().code).toBe('MANUAL_SCORES_MISSING');
    const rest: { branch_id: string }[] = await t.dataSource.query(`SELECT branch_id FROM assessment_results WHERE round_id = ? AND branch_id NOT IN (?, ?)`, [id, branchA.id, branchB.id]);
    for (const { branch_id } of rest) {
      expect((await manual(String(branch_id), dept, [{ key: 'quality', score: 60, reason: '按一般评定' }, { key: 'review', score: 60, reason: '按一般评定' }])).statusCode).toBe(204);
    }
    const published = await t.post(`/api/assessments/rounds/${id}/publish`, {}, dept);
    expect(published.statusCode).toBe(200);
    expect(published.json()).toEqual({ published: round.total });

    // Frozen: no more scores, no second publishing, no new round for the year, and new records change nothing.
    expect((await manual(branchA.id, unitAdmin, [{ key: 'quality', score: 100, reason: '再改' }])).json().code).toBe('ROUND_PUBLISHED');
    expect((await t.post(`/api/assessments/rounds/${id}/publish`, {}, dept)).json().code).toBe('ROUND_PUBLISHED');
    expect((await t.post('/api/assessments/rounds', { year: YEAR, schemeYear: YEAR }, dept)).json().code).toBe('ROUND_YEAR_PUBLISHED');
    await makeRecord(t.dataSource, branchA, { kind: 'party_lecture', heldAt: beijingTime(YEAR, 11, 5), status: 'accepted', createdBy: secretaryA.id });

    // Each secretary hears of it once, with a link to their branch's result.
    const told = (await t.get('/api/me/notifications', tokenA)).json().items.filter((n: { kind: string }) => n.kind === 'assessment-published');
    expect(told).toEqual([expect.objectContaining({ title: `${YEAR} 年度党支部考核结果已发布`, link: `/my-branch/assessment?year=${YEAR}` })]);

    const mine = await t.get(`/api/branches/${branchA.id}/assessment?year=${YEAR}`, tokenA);
    expect(mine.statusCode).toBe(200);
    const view = mine.json();
    const expected = round2(0.15 * 50 + 0.15 * 75 + 0.2 * compliance.score + 0.1 * round2((12 / 13) * 100) + 0.1 * 50 + 0.05 * 100 + 0.05 * 50 + 0.1 * 90 + 0.1 * 80);
    expect(view).toMatchObject({ published: true, branchId: branchA.id, branchName: branchA.name, score: expected, rank: null, unitRank: null, audit: null });
    expect(line('compliance', view).facts.met).toBe(12);
    expect(line('plan', view)).toMatchObject({ score: 50, countedScore: 25, reason: '第二项因疫情顺延至次年，经党委同意' });
    expect(line('quality', view)).toMatchObject({ score: 90, reason: '补充材料后记录完整' });
    expect((await t.get(`/api/branches/${branchA.id}/assessment?year=${YEAR}`, tokenB)).statusCode).toBe(404);

    // The unit admin's view: the audit trail of every change, and their unit only.
    const adminView = (await t.get(`/api/branches/${branchA.id}/assessment?year=${YEAR}`, unitAdmin)).json();
    expect(adminView.unitRank).toBe(1);
    expect(adminView.audit.map((a: { action: string; key: string }) => `${a.action}:${a.key}`)).toEqual([
      'manual:quality',
      'manual:quality',
      'manual:review',
      'proposed:plan',
      'accepted:plan',
    ]);
    expect(adminView.audit[1]).toMatchObject({ oldScore: 85, newScore: 90, reason: '补充材料后记录完整' });
    expect((await t.get(`/api/assessments/rounds/${id}/results?unitId=${other.id}`, unitAdmin)).json().code).toBe('UNIT_NOT_FOUND');
    const unitResults = (await t.get(`/api/assessments/rounds/${id}/results`, unitAdmin)).json();
    expect(unitResults).toMatchObject({ published: true, unitId: unit.id, total: 2 });
    expect(unitResults.items.map((r: { branchId: string }) => r.branchId)).toEqual([branchA.id, branchB.id]);
    expect(unitResults.items[1]).toMatchObject({ unitRank: 2, score: round2(0.1 * 70 + 0.1 * 70) });
    expect(unitResults.byUnit).toEqual([expect.objectContaining({ unitId: unit.id, branches: 2 })]);

    // The department's view: every branch, the distribution (the cap holds) and each indicator's spread.
    const all = (await t.get(`/api/assessments/rounds/${id}/results?pageSize=5`, dept)).json();
    expect(all.total).toBe(round.total);
    expect(all.items).toHaveLength(Math.min(5, round.total));
    const ranks = all.items.map((r: { rank: number }) => r.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const later = (await t.get(`/api/assessments/rounds/${id}/results?pageSize=100&page=${Math.ceil(round.total / 100)}`, dept)).json();
    expect(later.items.length).toBe(round.total - 100 * (Math.ceil(round.total / 100) - 1));
    // The stored page and the unit's worked-out view agree on branch A.
    const a = [...all.items, ...later.items].find((r: { branchId: string }) => r.branchId === branchA.id) ?? (await t.get(`/api/assessments/rounds/${id}/results?unitId=${unit.id}`, dept)).json().items[0];
    expect(a).toMatchObject({ branchId: branchA.id, score: expected, unitRank: 1, unitName: unit.name });
    const counts = Object.fromEntries(all.distribution.map((d: { grade: string; count: number }) => [d.grade, d.count]));
    expect(Object.values(counts).reduce((a: number, b) => a + (b as number), 0)).toBe(round.total);
    expect(counts.excellent).toBeLessThanOrEqual(Math.floor(0.3 * round.total));
    expect(all.indicators.find((i: { key: string }) => i.key === 'quality')).toMatchObject({ max: 90, min: 60, missing: 0 });

    // The workbook, read back.
    const xlsx = await t.request({ method: 'GET', url: `/api/assessments/rounds/${id}/results?format=xlsx`, token: unitAdmin });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('考核结果')!;
    expect(sheet.getRow(2).values).toEqual(expect.arrayContaining(['排名', '党支部', '总分', '等次']));
    expect(sheet.getRow(3).values).toEqual(expect.arrayContaining([branchA.name, expected]));
    expect(sheet.rowCount).toBe(4);
    const evidence = book.getWorksheet('指标依据')!;
    const sentences = evidence.getColumn(5).values.map(String);
    expect(sentences).toContain('年度计划 4 项，已完成 1 项；原计 25 分，经审核调整为 50 分：第二项因疫情顺延至次年，经党委同意');

    // The result sheet: the secretary's own, as PDF with the Chinese text; not another branch's.
    const pdf = await t.request({ method: 'GET', url: `/api/assessments/rounds/${id}/branches/${branchA.id}/sheet`, token: tokenA });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain(`${YEAR} 年度党支部考核评估结果单`);
    expect(text).toContain(branchA.name);
    expect(text).toContain(`总分 ${expected} 分`);
    expect((await t.request({ method: 'GET', url: `/api/assessments/rounds/${id}/branches/${branchA.id}/sheet`, token: tokenB })).statusCode).toBe(404);
  });

  it('counts each branch once when chunks run twice at the same time, and a failed round resumes where it stopped', async () => {
    await t.put('/api/assessments/schemes/2018', { ...SCHEME, indicators: SCHEME.indicators.filter((i) => i.source === 'auto').map((i) => ({ ...i, weight: i.weight + (i.key === 'compliance' ? 20 : 0) })) }, dept);
    const started = (await t.post('/api/assessments/rounds', { year: 2018, schemeYear: 2018 }, dept)).json();
    const rounds = worker.get(AssessmentRoundsService);
    // This process runs the same jobs as the worker, at the same moment: a duplicated delivery.
    await Promise.all([rounds.plan({ roundId: started.id, attempt: 0 }), rounds.countChunk({ roundId: started.id, attempt: 0, chunk: 0 })]);
    await Promise.all([rounds.countChunk({ roundId: started.id, attempt: 0, chunk: 0 }), rounds.countChunk({ roundId: started.id, attempt: 0, chunk: 0 })]);
    const round = await waitComputed(started.id);
    const [rows] = await t.dataSource.query(`SELECT COUNT(*) AS n, SUM(computed_at IS NOT NULL) AS computed FROM assessment_results WHERE round_id = ?`, [started.id]);
    expect(Number(rows.n)).toBe(round.total);
    expect(Number(rows.computed)).toBe(round.total);

    // A round that died part-way: its counted branches keep their evidence; the retry counts only the rest.
    const kept: { branch_id: string; computed_at: Date }[] = await t.dataSource.query(`SELECT branch_id, computed_at FROM assessment_results WHERE round_id = ? ORDER BY seq LIMIT 1`, [started.id]);
    await t.dataSource.query(`UPDATE assessment_results SET evidence = NULL, computed_at = NULL WHERE round_id = ? AND seq >= 1`, [started.id]);
    await t.dataSource.query(`UPDATE assessment_rounds SET state = 'failed', done = 1, error = 'worker lost' WHERE id = ?`, [started.id]);
    expect((await t.post(`/api/assessments/rounds/${started.id}/retry`, {}, (await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: (await makeUnit(t.dataSource)).id })).username)))).json().code).toBe('DEPARTMENT_ONLY');
    const retried = await t.post(`/api/assessments/rounds/${started.id}/retry`, {}, dept);
    expect(retried.json()).toMatchObject({ state: 'computing', error: null });
    expect(retried.json().jobId).not.toBe(started.jobId);
    await waitComputed(started.id);
    const [first] = await t.dataSource.query(`SELECT computed_at FROM assessment_results WHERE round_id = ? AND branch_id = ?`, [started.id, kept[0].branch_id]);
    expect(first.computed_at).toEqual(kept[0].computed_at);
    expect((await t.post(`/api/assessments/rounds/${started.id}/retry`, {}, dept)).json().code).toBe('ROUND_ALREADY_COMPUTED');
  });
});
