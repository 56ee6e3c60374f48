import type { AuthUser } from '../../src/common/auth-user';
import { CertificateCompiler } from '../../src/certificates/certificate-compiler.service';
import { CertificatesModule } from '../../src/certificates/certificates.module';
import { CertificatesService } from '../../src/certificates/certificates.service';
import { EventBus } from '../../src/events/event-bus';
import { JOB_DEFINITIONS } from '../../src/jobs/jobs';
import { JobsService } from '../../src/jobs/jobs.service';
import { QueueModule } from '../../src/jobs/queue.module';
import { RedisModule } from '../../src/redis/redis.module';
import { StorageModule } from '../../src/storage/storage.module';
import type { User } from '../../src/users/user.entity';
import { markCompleted } from '../factories/certificate.factory';
import { enrolRows, makeCourse } from '../factories/course-rows.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';

const DAY = 24 * 3600 * 1000;

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
  };
  let s: ServiceModule;
  let admin: User;

  beforeAll(async () => {
    s = await createServiceModule({ imports: [RedisModule, StorageModule, QueueModule, CertificatesModule] }, { replace: [[JobsService, jobs]] });
    admin = await makeUser(s.dataSource, { role: 'admin' });
  });
  afterAll(() => s.close());

  /** A closed course whose frozen results say these learners completed it. */
  async function closedCourse(completed: User[], others: User[] = []) {
    const course = await makeCourse(s.dataSource, { startsAt: new Date(Date.now() - 40 * DAY), endsAt: new Date(Date.now() - 10 * DAY), status: 'closed', closedAt: new Date() });
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

    expect(await compiler.closePreview(course.id, department(admin))).toEqual({ status: 'closed', learners: 3, completed: 2, alreadyCertified: 0, willBeCertified: 2 });
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
});
