import { ConflictException, NotFoundException } from '@nestjs/common';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Readable } from 'node:stream';
import type { AuthUser } from '../../src/common/auth-user';
import { CertificateCompiler } from '../../src/certificates/certificate-compiler.service';
import { CertificatesModule } from '../../src/certificates/certificates.module';
import { CertificatesService } from '../../src/certificates/certificates.service';
import { EventBus } from '../../src/events/event-bus';
import { JOB_DEFINITIONS, type JobPayloads } from '../../src/jobs/jobs';
import { JobsService } from '../../src/jobs/jobs.service';
import { QueueModule } from '../../src/jobs/queue.module';
import { RedisModule } from '../../src/redis/redis.module';
import { StorageModule } from '../../src/storage/storage.module';
import type { User } from '../../src/users/user.entity';
import { appConfig } from '../../src/config/config';
import type { Course } from '../../src/courses/course.entity';
import { markCompleted, pdfQrText, pdfText } from '../factories/certificate.factory';
import { enrolRows, makeCourse } from '../factories/course-rows.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';
import { actorOf } from './actors';

const DAY = 24 * 3600 * 1000;
const firstPage = (scope: { unitId?: string; branchId?: string } = {}) => ({ page: 1, pageSize: 100, skip: 0, ...scope }) as never;
const bytes = async (stream: Readable) => Buffer.concat(await stream.toArray());

const department = (user: User): AuthUser => ({ id: user.id, username: user.username, name: user.name, role: 'admin', unitId: null, branchId: null, mustChangePassword: false });

/**
 * Who is certified and how, on the certificate services with the real database and storage; the queue is
 * replaced (the compile through the real queue and worker is tested in certificates.e2e-spec.ts).
 */
describe('certificates (services, real MySQL)', () => {
  const enqueued: Array<{ name: string; payload: unknown; jobId: string }> = [];
  const jobs = {
    enqueue: async (name: keyof typeof JOB_DEFINITIONS, payload: never) => {
      const jobId = JOB_DEFINITIONS[name].id(payload);
      enqueued.push({ name, payload, jobId });
      return { id: jobId };
    },
    // The render jobs a compile fans out run at once, in order, as a worker would take them.
    enqueueBulk: async (name: 'certificates.render', payloads: Array<JobPayloads['certificates.render']>) => {
      for (const payload of payloads) {
        enqueued.push({ name, payload, jobId: JOB_DEFINITIONS[name].id(payload) });
        await s.get(CertificateCompiler).render(payload);
      }
      return payloads.map((payload) => ({ id: JOB_DEFINITIONS[name].id(payload) }));
    },
  };
  let s: ServiceModule;
  let admin: User;

  beforeAll(async () => {
    s = await createServiceModule({ imports: [RedisModule, StorageModule, QueueModule, CertificatesModule] }, { replace: [[JobsService, jobs]] });
    admin = await makeUser(s.dataSource, { role: 'admin' });
  });
  afterAll(() => s.close());

  /** A closed course whose frozen results say these learners completed it. */
  async function closedCourse(completed: User[], others: User[] = [], overrides: Partial<Course> = {}) {
    const course = await makeCourse(s.dataSource, { startsAt: new Date(Date.now() - 40 * DAY), endsAt: new Date(Date.now() - 10 * DAY), status: 'closed', closedAt: new Date(), ...overrides });
    await enrolRows(s.dataSource, course.id, [...completed, ...others].map((u) => u.id));
    if (completed.length) {
      await s.dataSource.query(
        `INSERT INTO course_results (course_id, user_id, required_done, required_total, credit_hours, sessions_attended, completed, completed_at) VALUES ${completed.map(() => '(?, ?, 3, 3, 6.5, 0, 1, NOW(3))').join(', ')}`,
        completed.flatMap((u) => [course.id, u.id]),
      );
    }
    return course;
  }

  it("a course's closing queues its compile under the course's fixed job id, however often it is told", async () => {
    const course = await closedCourse([]);
    await s.get(EventBus).emit('course.closed', { courseId: course.id });
    await s.get(EventBus).emit('course.closed', { courseId: course.id });
    const compiles = enqueued.filter((j) => j.name === 'certificates.compile' && (j.payload as { courseId: string }).courseId === course.id);
    expect(compiles.map((j) => j.jobId)).toEqual([`certificates.compile.${course.id}.close`, `certificates.compile.${course.id}.close`]);
  });

  it('certifies those who completed, once each, with consecutive serials and their name, unit and branch as they are now', async () => {
    const unit = await makeUnit(s.dataSource);
    const branch = await makeBranch(s.dataSource, unit);
    const [a, b] = [await makeUser(s.dataSource, { branch }), await makeUser(s.dataSource, { branch })];
    const notDone = await makeUser(s.dataSource, { branch });
    const course = await closedCourse([a, b], [notDone]);
    const compiler = s.get(CertificateCompiler);

    expect(await compiler.closePreview(course.id, department(admin))).toEqual({ status: 'closed', learners: 3, completed: 2, alreadyCertified: 0, willBeCertified: 2, awaitingQuestionnaire: 0 });
    expect(await compiler.run({ courseId: course.id })).toEqual({ issued: 2, total: 2 });
    // A retried or second run issues nothing.
    expect(await compiler.run({ courseId: course.id })).toBe('skipped');

    const { items } = await s.get(CertificatesService).listForCourse(course.id, { page: 1, pageSize: 20, skip: 0 } as never, department(admin));
    expect(items.map((c) => c.userId).sort()).toEqual([a.id, b.id].sort());
    expect(items.map((c) => c.serial.slice(-4))).toEqual(['0001', '0002']);
    expect(items.every((c) => c.unitName === unit.name && c.branchName === branch.name && c.creditHours === 6.5)).toBe(true);
    expect(await compiler.closePreview(course.id, department(admin))).toMatchObject({ alreadyCertified: 2, willBeCertified: 0 });
  });

  it('a reissue revokes the original and prints the name as it is now, under the next serial; a second reissue is refused', async () => {
    const learner = await makeUser(s.dataSource);
    const course = await closedCourse([learner]);
    await s.get(CertificateCompiler).run({ courseId: course.id });
    const certificates = s.get(CertificatesService);
    const [original] = (await certificates.listMine({ id: learner.id } as AuthUser)).items;
    await s.dataSource.query(`UPDATE users SET name = '更正后的姓名' WHERE id = ?`, [learner.id]);

    const reissued = await certificates.reissue(original.id, '姓名更正', department(admin));
    expect(reissued).toMatchObject({ name: '更正后的姓名', reissueOfId: original.id, revoked: false });
    expect(reissued.serial.slice(-4)).toBe('0002');
    const [now, before] = (await certificates.listMine({ id: learner.id } as AuthUser)).items;
    expect(now.id).toBe(reissued.id);
    expect(before).toMatchObject({ id: original.id, revoked: true, revokedReason: '重新颁发：姓名更正', replacedBy: { id: reissued.id, serial: reissued.serial } });
    await expect(certificates.reissue(original.id, '再次更正', department(admin))).rejects.toMatchObject({ response: { code: 'CERTIFICATE_ALREADY_LIVE' } });
  });
  it('compiles an open course only when forced, from live progress, stating the real completion date', async () => {
    const [done, behind] = [await makeUser(s.dataSource), await makeUser(s.dataSource)];
    const open = await makeCourse(s.dataSource, { startsAt: new Date(Date.now() - 40 * DAY), endsAt: new Date(Date.now() + 30 * DAY) });
    await enrolRows(s.dataSource, open.id, [done.id, behind.id]);
    await markCompleted(s.dataSource, open.id, [done.id]);
    // The learner finished on 2026-11-20 (Beijing time); the period runs on for weeks after the compile.
    await s.dataSource.query(`UPDATE course_progress SET completed_at = ? WHERE course_id = ? AND user_id = ?`, [new Date('2026-11-20T09:30:00+08:00'), open.id, done.id]);
    const compiler = s.get(CertificateCompiler);
    await expect(compiler.request(open.id, department(admin), false)).rejects.toMatchObject({ response: { code: 'COURSE_NOT_CLOSED' } });

    await compiler.request(open.id, department(admin), true);
    expect(await compiler.run(enqueued.at(-1)!.payload as { courseId: string })).toEqual({ issued: 1, total: 1 });
    const certificates = s.get(CertificatesService);
    const { items } = await certificates.listForCourse(open.id, firstPage(), department(admin));
    expect(items.map((c) => c.userId)).toEqual([done.id]);
    const text = await pdfText(await bytes((await certificates.pdf(items[0].id, department(admin))).body));
    expect(text.replace(/\s+/g, '')).toContain('于2026年11月20日完成规定的学习任务');
  });

  describe('one closed course, certified across two units', () => {
    const place: Record<'unitA' | 'unitB' | 'a1' | 'a2' | 'b1', { id: string; name: string }> = {} as never;
    const people: Record<'ouyang' | 'a2' | 'b1', User> = {} as never;
    let course: Course;
    let unitAdminB: User;

    beforeAll(async () => {
      const ds = s.dataSource;
      const [unitA, unitB] = [await makeUnit(ds), await makeUnit(ds)];
      const [a1, a2, b1] = [await makeBranch(ds, unitA), await makeBranch(ds, unitA), await makeBranch(ds, unitB)];
      Object.assign(place, { unitA, unitB, a1, a2, b1 });
      people.ouyang = await makeUser(ds, { branch: a1, name: '欧阳修文' });
      people.a2 = await makeUser(ds, { branch: a2, name: '王五' });
      people.b1 = await makeUser(ds, { branch: b1, name: '赵六' });
      unitAdminB = await makeUser(ds, { role: 'admin', unitId: unitB.id });
      course = await closedCourse(Object.values(people), [], { startsAt: new Date('2026-03-01T00:00:00+08:00') });
      await s.get(CertificateCompiler).run({ courseId: course.id });
    });

    const list = async (actor: AuthUser, scope: { unitId?: string; branchId?: string } = {}) =>
      s.get(CertificatesService).listForCourse(course.id, firstPage(scope), actor);
    const certificateOf = async (user: User) => (await list(department(admin))).items.find((c) => c.userId === user.id)!;

    it("filters the list by unit and branch; a unit admin sees their unit's only", async () => {
      expect((await list(department(admin), { unitId: place.unitA.id })).total).toBe(2);
      expect((await list(department(admin), { branchId: place.a2.id })).items.map((c) => c.userId)).toEqual([people.a2.id]);
      expect((await list(actorOf(unitAdminB))).items.map((c) => c.userId)).toEqual([people.b1.id]);
      expect((await list(actorOf(unitAdminB), { unitId: place.unitA.id })).total).toBe(0);
    });

    it('shows a learner without a certificate none of anyone else’s', async () => {
      const learner = await makeUser(s.dataSource);
      expect(await s.get(CertificatesService).listMine(actorOf(learner))).toEqual({ items: [], total: 0 });
      expect((await s.get(CertificatesService).listMine(actorOf(people.ouyang))).items.map((c) => c.userId)).toEqual([people.ouyang.id]);
    });

    it('prints the Chinese name, serial, course, 学时, issuer and start date, and a QR code with the verification URL', async () => {
      const cert = await certificateOf(people.ouyang);
      const pdf = await bytes((await s.get(CertificatesService).pdf(cert.id, actorOf(people.ouyang))).body);
      const text = await pdfText(pdf);
      for (const words of ['欧阳修文', cert.serial, '结 业 证 书', course.title, '6.5 学时', appConfig().certificates.issuer, '2026年3月1日']) expect(text).toContain(words);
      expect(await pdfQrText(pdf)).toBe(`${appConfig().http.publicUrl}/verify/${cert.verificationCode}`);
      expect(cert.verifyUrl).toBe(`${appConfig().http.publicUrl}/verify/${cert.verificationCode}`);
      expect(cert.verificationCode).toMatch(/^[0-9A-Z]{16}$/);
    });

    it('verifies a code however it is typed, with the name masked', async () => {
      const cert = await certificateOf(people.ouyang);
      const typed = cert.verificationCode.toLowerCase().replace(/(.{4})(?!$)/g, '$1-');
      expect(await s.get(CertificatesService).verify(typed)).toMatchObject({ valid: true, revoked: false, name: '欧**文', serial: cert.serial, creditHours: 6.5 });
    });

    it('zips the live certificates of one branch or unit as unit/branch/serial-name.pdf; a unit admin finds no other unit', async () => {
      const certificates = s.get(CertificatesService);
      const names = async (scope: { unitId?: string; branchId?: string }, actor = department(admin)) => {
        const zip = await JSZip.loadAsync(await bytes((await certificates.bundle(course.id, scope, actor)).archive));
        return Object.keys(zip.files).filter((n) => !zip.files[n].dir);
      };
      const a2 = await certificateOf(people.a2);
      expect(await names({ branchId: place.a2.id })).toEqual([`${place.unitA.name}/${place.a2.name}/${a2.serial}-王五.pdf`]);
      expect(await names({ unitId: place.unitB.id })).toHaveLength(1);
      expect(await names({}, actorOf(unitAdminB))).toHaveLength(1);
      await expect(certificates.bundle(course.id, { unitId: place.unitA.id }, actorOf(unitAdminB))).rejects.toBeInstanceOf(NotFoundException);
    });

    it('revokes: verification then says so, a rerun does not issue it again, and a reissue replaces it once', async () => {
      const certificates = s.get(CertificatesService);
      const cert = await certificateOf(people.b1);
      await certificates.revoke(cert.id, '学时记录有误', department(admin));
      expect(await certificates.verify(cert.verificationCode)).toMatchObject({ valid: false, revoked: true, serial: cert.serial });
      await expect(certificates.revoke(cert.id, '再次', department(admin))).rejects.toBeInstanceOf(ConflictException);
      // A second compile (the course is already certified) issues nothing, not even for the revoked one.
      await s.get(CertificateCompiler).request(course.id, department(admin), false);
      expect(await s.get(CertificateCompiler).run(enqueued.at(-1)!.payload as { courseId: string })).toEqual({ issued: 0, total: 3 });
      expect((await list(department(admin), { unitId: place.unitB.id })).total).toBe(1);

      await s.dataSource.query(`UPDATE users SET name = '赵六一' WHERE id = ?`, [people.b1.id]);
      const renewed = await certificates.reissue(cert.id, '姓名更正', department(admin));
      expect(renewed).toMatchObject({ userId: people.b1.id, name: '赵六一', reissueOfId: cert.id, revoked: false });
      expect(renewed.serial.slice(-4)).toBe('0004');
      expect(await certificates.verify(renewed.verificationCode)).toMatchObject({ valid: true, name: '赵*一' });
      await expect(certificates.reissue(cert.id, '再次', department(admin))).rejects.toBeInstanceOf(ConflictException);
      const listed = (await list(department(admin), { unitId: place.unitB.id })).items;
      expect(listed.find((c) => c.id === cert.id)!.replacedBy).toEqual({ id: renewed.id, serial: renewed.serial });
      expect(listed.find((c) => c.id === renewed.id)!.replacedBy).toBeNull();
    });

    it('counts live and revoked certificates by unit and branch in the workbook; a unit admin’s counts their unit only', async () => {
      const rowsOf = async (actor: AuthUser, sheet: string) => {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load((await s.get(CertificatesService).summaryXlsx(course.id, actor)).workbook as unknown as ArrayBuffer);
        return workbook.getWorksheet(sheet)!.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1));
      };
      expect(await rowsOf(department(admin), '按二级党组织')).toEqual(expect.arrayContaining([[place.unitA.name, 2, 0], [place.unitB.name, 1, 1], ['合计', 3, 1]]));
      expect(await rowsOf(department(admin), '按党支部')).toContainEqual([place.unitA.name, place.a1.name, 1, 0]);
      expect(await rowsOf(actorOf(unitAdminB), '按二级党组织')).toEqual([[place.unitB.name, 1, 1], ['合计', 1, 1]]);
    });
  });
});
