import { DataSource } from 'typeorm';
import type { AuthUser } from '../../src/common/auth-user';
import { Transactions } from '../../src/database/transactions';
import { EventBus } from '../../src/events/event-bus';
import { QueueModule } from '../../src/jobs/queue.module';
import { RedisModule } from '../../src/redis/redis.module';
import { SessionsModule } from '../../src/sessions/sessions.module';
import { SessionsService } from '../../src/sessions/sessions.service';
import { enrolRows, makeCourseRows } from '../factories/course-rows.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';

/** The attendance rules on the real database: what marking does to a learner's progress and 学时. */
describe('SessionsService (attendance rules)', () => {
  let s: ServiceModule;
  let ds: DataSource;
  let sessions: SessionsService;
  let admin: AuthUser;

  beforeAll(async () => {
    s = await createServiceModule({ imports: [RedisModule, QueueModule, SessionsModule] });
    ds = s.dataSource;
    sessions = s.get(SessionsService);
    const user = await makeUser(ds, { role: 'admin' });
    admin = { id: user.id, username: user.username, name: user.name, role: 'admin', unitId: null, branchId: null, mustChangePassword: false };
  });
  afterAll(() => s.close());

  async function sessionWith(learnerCount: number) {
    const branch = await makeBranch(ds, await makeUnit(ds));
    const learners = [];
    for (let i = 0; i < learnerCount; i++) learners.push(await makeUser(ds, { branch }));
    const { course, activities } = await makeCourseRows(ds, [{ type: 'session', creditHours: 2 }]);
    const ids = learners.map((l) => l.id);
    await enrolRows(ds, course.id, ids);
    await s.get(Transactions).run((manager) => s.get(EventBus).emitInTransaction(manager, 'enrollment.changed', { courseId: course.id, userIds: ids }));
    return { course, session: activities[0], learners };
  }

  const summary = async (courseId: string, userId: string) => {
    const [row] = await ds.query(`SELECT credit_hours AS hours, sessions_attended AS sessions FROM course_progress WHERE course_id = ? AND user_id = ?`, [courseId, userId]);
    return { hours: Number(row.hours), sessions: Number(row.sessions) };
  };

  it('present grants the offline 学时 and counts the session; absent afterwards takes both back', async () => {
    const { course, session, learners: [learner] } = await sessionWith(1);
    expect(await sessions.mark(session.id, learner.id, admin, 'present')).toMatchObject({ status: 'present', method: 'manual' });
    expect(await summary(course.id, learner.id)).toEqual({ hours: 2, sessions: 1 });
    await sessions.mark(session.id, learner.id, admin, 'absent');
    expect(await summary(course.id, learner.id)).toEqual({ hours: 0, sessions: 0 });
  });

  it('excused (请假) needs a reason, kept with the record', async () => {
    const { session, learners: [learner] } = await sessionWith(1);
    await expect(sessions.mark(session.id, learner.id, admin, 'excused', '  ')).rejects.toMatchObject({ response: { code: 'REASON_REQUIRED' } });
    expect(await sessions.mark(session.id, learner.id, admin, 'excused', '出差')).toMatchObject({ status: 'excused', reason: '出差' });
  });

  it('a list with someone who is not a learner of the course marks no one', async () => {
    const { course, session, learners } = await sessionWith(2);
    const stranger = await makeUser(ds);
    await expect(sessions.markMany(session.id, [...learners.map((l) => l.id), stranger.id], true, admin)).rejects.toMatchObject({
      response: { code: 'ENROLLMENT_NOT_FOUND' },
    });
    for (const learner of learners) expect(await summary(course.id, learner.id)).toEqual({ hours: 0, sessions: 0 });
    expect(await sessions.markMany(session.id, learners.map((l) => l.id), true, admin)).toEqual({ updated: 2, status: 'present' });
    expect((await sessions.status(session.id, admin)).present).toBe(2);
  });

  it('the attendance list names every active learner, with what was recorded', async () => {
    const { session, learners } = await sessionWith(2);
    await sessions.mark(session.id, learners[0].id, admin, 'present');
    const list = await sessions.list(session.id, admin);
    expect(list.map((row) => [row.user.id, row.status])).toEqual(
      expect.arrayContaining([
        [learners[0].id, 'present'],
        [learners[1].id, null],
      ]),
    );
    expect(list).toHaveLength(2);
    expect(list[0].user.unit).toMatch(/^测试学院党委/);
  });
});
