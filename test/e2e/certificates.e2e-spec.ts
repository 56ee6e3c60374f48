import type { INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { CertificateBatch } from '../../src/certificates/certificate-batch.entity';
import { Certificate } from '../../src/certificates/certificate.entity';
import { appConfig } from '../../src/config/config';
import { Branch } from '../../src/org/branch.entity';
import { Unit } from '../../src/org/unit.entity';
import { User } from '../../src/users/user.entity';
import { markCompleted } from '../factories/certificate.factory';
import { buildCourse, BuiltCourse, expectStatus } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';
import { startWorker } from '../support/worker-context';

const DAY = 24 * 3600 * 1000;

interface CertificateItem {
  id: string;
  userId: string;
  serial: string;
  verificationCode: string;
  verifyUrl: string;
  issuedAt: string;
  name: string;
  unitName: string;
  branchName: string;
  creditHours: number;
  revoked: boolean;
  reissueOfId: string | null;
}

/** Completion certificates through HTTP, compiled by the real worker module on the real queue. */
describe('certificates (结业证书)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let admin: string;
  let unitAdminB: string;
  let unitA: Unit;
  let unitB: Unit;
  let branchA1: Branch;
  let branchA2: Branch;
  let branchB1: Branch;
  let people: Record<'ouyang' | 'a1' | 'a1b' | 'a2' | 'b1' | 'behind', User>;
  let tokens: Record<string, string>;
  let course: BuiltCourse;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    admin = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    unitA = await makeUnit(t.dataSource);
    unitB = await makeUnit(t.dataSource);
    branchA1 = await makeBranch(t.dataSource, unitA);
    branchA2 = await makeBranch(t.dataSource, unitA);
    branchB1 = await makeBranch(t.dataSource, unitB);
    unitAdminB = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unitB.id })).username);
    people = {
      ouyang: await makeUser(t.dataSource, { branch: branchA1, name: '欧阳修文' }),
      a1: await makeUser(t.dataSource, { branch: branchA1, name: '张三' }),
      a1b: await makeUser(t.dataSource, { branch: branchA1, name: '李小明' }),
      a2: await makeUser(t.dataSource, { branch: branchA2, name: '王五' }),
      b1: await makeUser(t.dataSource, { branch: branchB1, name: '赵六' }),
      behind: await makeUser(t.dataSource, { branch: branchB1, name: '钱七' }),
    };
    tokens = {};
    for (const [key, user] of Object.entries(people)) tokens[key] = await t.login(user.username);

    course = await buildCourse(t, admin, {
      startsAt: new Date('2026-03-01T00:00:00+08:00'),
      endsAt: new Date(Date.now() + 30 * DAY),
      learnerIds: Object.values(people).map((p) => p.id),
    });
    await markCompleted(t.dataSource, course.id, [people.ouyang, people.a1, people.a1b, people.a2, people.b1].map((p) => p.id), 6.5);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  async function compiled(courseId: string, query = ''): Promise<{ jobId: string; state: string; done: number; total: number; issued: number }> {
    const { jobId } = expectStatus(await t.post(`/api/courses/${courseId}/certificates/compile${query}`, {}, admin), 202, 'compile').json();
    const deadline = Date.now() + 25_000;
    for (;;) {
      const progress = expectStatus(await t.get(`/api/courses/${courseId}/certificates/compile/${jobId}`, admin), 200, 'progress').json();
      if (progress.state === 'done' || progress.state === 'failed' || Date.now() > deadline) return progress;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The compile run that closing starts, once it has finished (or the patience ran out). */
  async function closingBatch(courseId: string): Promise<CertificateBatch | null> {
    const deadline = Date.now() + 25_000;
    let batch: CertificateBatch | null = null;
    while (Date.now() < deadline && batch?.state !== 'done') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      batch = await t.dataSource.getRepository(CertificateBatch).findOneBy({ courseId, origin: 'close' });
    }
    return batch;
  }

  async function list(courseId: string, token = admin, query = ''): Promise<{ items: CertificateItem[]; total: number }> {
    return expectStatus(await t.get(`/api/courses/${courseId}/certificates${query}`, token), 200, 'list').json();
  }

  it('refuses to compile a course that has not closed (409), and lets only the department start it', async () => {
    const refused = await t.post(`/api/courses/${course.id}/certificates/compile`, {}, admin);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'COURSE_NOT_CLOSED' });
    expect(refused.json().message).toContain('尚未结业');
    expect((await t.post(`/api/courses/${course.id}/certificates/compile?force=true`, {}, unitAdminB)).statusCode).toBe(403);
    expect((await t.post(`/api/courses/${course.id}/certificates/compile`, {}, tokens.a1)).statusCode).toBe(403);
    expect((await t.post(`/api/courses/${course.id}/certificates/compile?force=maybe`, {}, admin)).statusCode).toBe(400);
    expect((await t.post(`/api/courses/999999999/certificates/compile`, {}, admin)).statusCode).toBe(404);
    expect((await t.get(`/api/courses/${course.id}/certificates/compile/certificates.compile.batch.999999`, admin)).json()).toMatchObject({ code: 'COMPILE_JOB_NOT_FOUND' });
    expect((await t.get(`/api/courses/${course.id}/certificates/compile/x`, tokens.a1)).statusCode).toBe(403);
    expect(await t.dataSource.getRepository(Certificate).countBy({ courseId: course.id })).toBe(0);
  });

  it('previews closing for the department: learners, who completed, who would get a certificate and who already has one', async () => {
    const preview = expectStatus(await t.get(`/api/courses/${course.id}/close-preview`, admin), 200, 'close preview').json();
    expect(preview).toEqual({ status: 'published', learners: 6, completed: 5, willBeCertified: 5, alreadyCertified: 0, awaitingQuestionnaire: 0 });
    expect((await t.get(`/api/courses/${course.id}/close-preview`, unitAdminB)).json()).toMatchObject({ statusCode: 403, code: 'DEPARTMENT_ONLY' });
    expect((await t.get(`/api/courses/${course.id}/close-preview`, tokens.a1)).statusCode).toBe(403);
    expect((await t.get(`/api/courses/999999999/close-preview`, admin)).statusCode).toBe(404);
  });

  it('compiles when the department closes the course: one certificate to every learner who completed per the frozen snapshot', async () => {
    const closed = expectStatus(await t.post(`/api/courses/${course.id}/close`, {}, admin), 200, 'close').json();
    expect(closed).toMatchObject({ status: 'closed', certificatesJobId: expect.stringMatching(/^certificates\.compile\./) });
    // The page that closed the course follows the compile closing started by that id: waiting, then done.
    const deadline = Date.now() + 25_000;
    let followed = expectStatus(await t.get(`/api/courses/${course.id}/certificates/compile/${closed.certificatesJobId}`, admin), 200, 'close compile').json();
    expect(['queued', 'running', 'done']).toContain(followed.state);
    while (followed.state !== 'done' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      followed = (await t.get(`/api/courses/${course.id}/certificates/compile/${closed.certificatesJobId}`, admin)).json();
    }
    expect(followed).toMatchObject({ origin: 'close', state: 'done', issued: 5, total: 5, done: 5 });
    expect(await closingBatch(course.id)).toMatchObject({ origin: 'close', state: 'done', issued: 5, total: 5, done: 5 });
    expect((await t.get(`/api/courses/${course.id}/close-preview`, admin)).json()).toEqual({ status: 'closed', learners: 6, completed: 5, willBeCertified: 0, alreadyCertified: 5, awaitingQuestionnaire: 0 });
    const progress = await compiled(course.id);
    expect(progress).toMatchObject({ state: 'done', done: 5, total: 5, issued: 0 });
    expect(progress.jobId).toMatch(/^certificates\.compile\./);

    const { items, total } = await list(course.id);
    expect(total).toBe(5);
    expect(new Set(items.map((c) => c.userId))).toEqual(new Set([people.ouyang, people.a1, people.a1b, people.a2, people.b1].map((p) => p.id)));
    expect(items.find((c) => c.userId === people.ouyang.id)).toMatchObject({ name: '欧阳修文', unitName: unitA.name, serial: expect.stringMatching(/^2026-\d{7}$/), verifyUrl: expect.any(String), revoked: false });
  });

  it('lists a page of a course’s certificates for admins; secretaries may not, filters are checked', async () => {
    const page = await list(course.id, admin, '?pageSize=2&page=2');
    expect(page.total).toBe(5);
    expect(page.items.map((c) => c.serial)).toEqual(['2026-0000003', '2026-0000004']);
    expect((await list(course.id, unitAdminB)).total).toBe(1);
    expect((await t.get(`/api/courses/${course.id}/certificates`, tokens.a1)).statusCode).toBe(403);
    expect((await t.get(`/api/courses/${course.id}/certificates?unitId=abc`, admin)).statusCode).toBe(400);
    expect((await t.get(`/api/courses/${course.id}/certificates`)).statusCode).toBe(401);
  });

  it('shows a learner their own certificates', async () => {
    const mine = expectStatus(await t.get('/api/me/certificates', tokens.ouyang), 200, 'mine').json();
    expect(mine.total).toBe(1);
    expect(mine.items[0]).toMatchObject({ userId: people.ouyang.id, name: '欧阳修文', courseTitle: course.title });
  });

  it('serves the PDF to its owner and admins', async () => {
    const cert = (await list(course.id)).items.find((c) => c.userId === people.ouyang.id)!;
    const response = await t.get(`/api/certificates/${cert.id}/pdf`, tokens.ouyang);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const pdf = response.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await t.get(`/api/certificates/${cert.id}/pdf`, admin)).rawPayload.equals(pdf)).toBe(true);
  });

  it("answers 404 for someone else's certificate, another unit's, and unknown ids", async () => {
    const cert = (await list(course.id)).items.find((c) => c.userId === people.ouyang.id)!;
    const other = await t.get(`/api/certificates/${cert.id}/pdf`, tokens.a1);
    expect(other.statusCode).toBe(404);
    const unknown = await t.get('/api/certificates/999999999/pdf', tokens.a1);
    expect(unknown.statusCode).toBe(404);
    expect(other.json().code).toBe(unknown.json().code);
    expect((await t.get(`/api/certificates/${cert.id}/pdf`, unitAdminB)).statusCode).toBe(404);
    expect((await t.get('/api/certificates/abc/pdf', admin)).statusCode).toBe(404);
    expect((await t.get(`/api/certificates/${cert.id}/pdf`)).statusCode).toBe(401);
  });

  it('verifies a code publicly with the name masked; malformed and unknown codes get the same 404', async () => {
    const cert = (await list(course.id)).items.find((c) => c.userId === people.ouyang.id)!;
    const ok = await t.get(`/api/certificates/verify/${cert.verificationCode}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      valid: true,
      revoked: false,
      revokedAt: null,
      name: '欧**文',
      course: course.title,
      serial: cert.serial,
      issuedAt: cert.issuedAt,
      creditHours: 6.5,
      issuer: appConfig().certificates.issuer,
    });
    const unknown = await t.get(`/api/certificates/verify/${'Z'.repeat(16)}`);
    const malformed = await t.get('/api/certificates/verify/not-a-code');
    const serialInstead = await t.get(`/api/certificates/verify/${cert.serial}`);
    for (const response of [unknown, malformed, serialInstead]) {
      expect(response.statusCode).toBe(404);
      expect(response.body).toBe(unknown.body);
    }
    expect(unknown.json().message).toContain('未找到该证书');
  });

  it('sends a browser that opens the JSON route (QR codes printed before the web page) on to the web page; programs keep JSON', async () => {
    const cert = (await list(course.id)).items.find((c) => c.userId === people.ouyang.id)!;
    const phoneAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
    const browser = await t.request({ method: 'GET', url: `/api/certificates/verify/${cert.verificationCode}`, headers: { accept: phoneAccept } });
    expect(browser.statusCode).toBe(302);
    expect(browser.headers.location).toBe(`/verify/${cert.verificationCode}`);
    expect(browser.headers.vary).toMatch(/accept/i);
    for (const accept of ['application/json', '*/*']) {
      const program = await t.request({ method: 'GET', url: `/api/certificates/verify/${cert.verificationCode}`, headers: { accept } });
      expect(program.statusCode).toBe(200);
      expect(program.headers['content-type']).toMatch(/application\/json/);
      expect(program.json()).toMatchObject({ valid: true, serial: cert.serial });
    }
    // An unknown code goes to the page too, which says it was not found; programs get the 404.
    const unknown = await t.request({ method: 'GET', url: `/api/certificates/verify/${'Z'.repeat(16)}`, headers: { accept: phoneAccept } });
    expect(unknown.headers.location).toBe(`/verify/${'Z'.repeat(16)}`);
    expect((await t.request({ method: 'GET', url: `/api/certificates/verify/${'Z'.repeat(16)}`, headers: { accept: 'application/json' } })).statusCode).toBe(404);
  });

  it('lets the department revoke with a reason, once', async () => {
    const cert = (await list(course.id)).items.find((c) => c.userId === people.a1.id)!;
    expect((await t.post(`/api/certificates/${cert.id}/revoke`, { reason: '学时记录有误' }, unitAdminB)).statusCode).toBe(403);
    expect((await t.post(`/api/certificates/${cert.id}/revoke`, { reason: '学时记录有误' }, tokens.a1)).statusCode).toBe(403);
    const noReason = await t.post(`/api/certificates/${cert.id}/revoke`, { reason: '  ' }, admin);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'reason', rule: 'notEmpty', message: '原因不能为空' }] });
    expect((await t.post('/api/certificates/999999999/revoke', { reason: '无' }, admin)).statusCode).toBe(404);

    const revoked = expectStatus(await t.post(`/api/certificates/${cert.id}/revoke`, { reason: '学时记录有误' }, admin), 200, 'revoke').json();
    expect(revoked).toMatchObject({ revoked: true, revokedReason: '学时记录有误' });
    expect((await t.post(`/api/certificates/${cert.id}/revoke`, { reason: '再次' }, admin)).statusCode).toBe(409);
  });

  it('lets the department reissue a certificate with a reason, once', async () => {
    const revokedOne = (await list(course.id)).items.find((c) => c.userId === people.a1.id)!;
    const renewed = expectStatus(await t.post(`/api/certificates/${revokedOne.id}/reissue`, { reason: '姓名更正' }, admin), 201, 'reissue').json();
    expect(renewed).toMatchObject({ userId: people.a1.id, serial: '2026-0000006', reissueOfId: revokedOne.id, revoked: false, creditHours: 6.5 });
    expect((await t.post(`/api/certificates/${revokedOne.id}/reissue`, { reason: '再次' }, admin)).statusCode).toBe(409);
    const live = (await list(course.id)).items.find((c) => c.userId === people.a1b.id)!;
    expect((await t.post(`/api/certificates/${live.id}/reissue`, {}, admin)).statusCode).toBe(400);
    expect((await t.post(`/api/certificates/${live.id}/reissue`, { reason: '越权' }, unitAdminB)).statusCode).toBe(403);
    expect((await t.post(`/api/certificates/${live.id}/reissue`, { reason: '越权' }, tokens.a1)).statusCode).toBe(403);
  });

  it('streams a ZIP of the live certificates', async () => {
    const live = (await list(course.id)).items.filter((c) => !c.revoked);
    const response = await t.get(`/api/courses/${course.id}/certificates/bundle`, admin);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(String(response.headers['content-disposition'])).toContain(encodeURIComponent('结业证书'));
    const zip = await JSZip.loadAsync(response.rawPayload);
    const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir).sort();
    expect(names).toEqual(live.map((c) => `${c.unitName}/${c.branchName}/${c.serial}-${c.name}.pdf`).sort());
    const first = await zip.file(names[0])!.async('nodebuffer');
    expect(first.subarray(0, 5).toString()).toBe('%PDF-');

    expect((await t.get(`/api/courses/${course.id}/certificates/bundle`, tokens.a1)).statusCode).toBe(403);
    const empty = await buildCourse(t, admin, {});
    expect((await t.get(`/api/courses/${empty.id}/certificates/bundle`, admin)).json()).toMatchObject({ code: 'NO_CERTIFICATES' });
  });

  it('summarizes certificates as XLSX with Chinese headers', async () => {
    const response = await t.get(`/api/courses/${course.id}/certificates/summary`, admin);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const units = workbook.getWorksheet('按二级党组织')!;
    expect(units.getRow(1).values).toEqual([undefined, '二级党组织', '有效证书', '已撤销']);
    expect(units.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1))).toContainEqual(['合计', 5, 1]);
    expect(workbook.getWorksheet('按党支部')!.getRow(1).values).toEqual([undefined, '二级党组织', '党支部', '有效证书', '已撤销']);
    expect((await t.get(`/api/courses/${course.id}/certificates/summary`, unitAdminB)).statusCode).toBe(200);
    expect((await t.get(`/api/courses/${course.id}/certificates/summary`, tokens.a1)).statusCode).toBe(403);
  });

  it('compiles automatically when the course.close job closes a course', async () => {
    const auto = await buildCourse(t, admin, { learnerIds: [people.b1.id, people.behind.id] });
    await markCompleted(t.dataSource, auto.id, [people.b1.id]);
    // Moving the end into the past makes the worker's course.close job due now.
    expectStatus(await t.patch(`/api/courses/${auto.id}`, { endsAt: new Date(Date.now() - 60_000).toISOString() }, admin), 200, 'move end');
    expect(await closingBatch(auto.id)).toMatchObject({ origin: 'close', state: 'done', issued: 1, total: 1, done: 1 });
    expect((await list(auto.id)).items.map((c) => c.userId)).toEqual([people.b1.id]);
  });
});
