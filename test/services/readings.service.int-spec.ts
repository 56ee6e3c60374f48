import { DataSource } from 'typeorm';
import type { AuthUser } from '../../src/common/auth-user';
import { Transactions } from '../../src/database/transactions';
import { EventBus } from '../../src/events/event-bus';
import { QueueModule } from '../../src/jobs/queue.module';
import { ProgressService } from '../../src/progress/progress.service';
import { ReadingsModule } from '../../src/readings/readings.module';
import { ReflectionsService } from '../../src/readings/reflections.service';
import { ReviewInboxService } from '../../src/readings/review-inbox.service';
import { RedisModule } from '../../src/redis/redis.module';
import { StorageModule } from '../../src/storage/storage.module';
import type { User } from '../../src/users/user.entity';
import { enrolRows, makeCourseRows } from '../factories/course-rows.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';

const DAY = 24 * 3600 * 1000;
const REFLECTION = '学习党章以后，我对支部工作的认识更加深刻，今后要把学习成果落实到日常工作中去。';

/** The reading rules on the real database: the length, approval, 补学 by submission time, and the inbox. */
describe('ReflectionsService (reading completion and review)', () => {
  let s: ServiceModule;
  let ds: DataSource;
  let reflections: ReflectionsService;
  let admin: AuthUser;

  beforeAll(async () => {
    s = await createServiceModule({ imports: [RedisModule, QueueModule, StorageModule, ReadingsModule] });
    ds = s.dataSource;
    reflections = s.get(ReflectionsService);
    admin = actor(await makeUser(ds, { role: 'admin' }), 'admin');
  });
  afterAll(() => s.close());

  function actor(user: User, role: AuthUser['role'] = 'secretary'): AuthUser {
    return { id: user.id, username: user.username, name: user.name, role, unitId: role === 'admin' ? null : user.unitId, branchId: user.branchId, mustChangePassword: false };
  }

  async function readingFor(needsApproval: boolean, dueAt: Date | null = null) {
    const learner = actor(await makeUser(ds, { branch: await makeBranch(ds, await makeUnit(ds)) }));
    const { course, activities } = await makeCourseRows(ds, [{ type: 'reading', dueAt, settings: { reflectionNeedsApproval: needsApproval, minReflectionLength: 20 } }]);
    await enrolRows(ds, course.id, [learner.id]);
    await s.get(Transactions).run((manager) => s.get(EventBus).emitInTransaction(manager, 'enrollment.changed', { courseId: course.id, userIds: [learner.id] }));
    return { reading: activities[0], learner };
  }

  const progressOf = async (activityId: string, userId: string) => (await s.get(ProgressService).statesFor(userId, [activityId])).get(activityId);

  it('refuses a reflection shorter than the reading asks, saying how much is missing', async () => {
    const { reading, learner } = await readingFor(false);
    await expect(reflections.submit(reading.id, learner, { body: '学习了。' })).rejects.toMatchObject({
      response: { code: 'REFLECTION_TOO_SHORT', minReflectionLength: 20 },
    });
    expect(await reflections.submit(reading.id, learner, { body: '学习了。', draft: true })).toMatchObject({ status: 'draft' });
  });

  it('without approval a submitted reflection completes the reading; with approval it is halfway until approved', async () => {
    const free = await readingFor(false);
    await reflections.submit(free.reading.id, free.learner, { body: REFLECTION });
    expect(await progressOf(free.reading.id, free.learner.id)).toMatchObject({ state: 'completed' });

    const reviewed = await readingFor(true);
    const submitted = await reflections.submit(reviewed.reading.id, reviewed.learner, { body: REFLECTION });
    expect(await progressOf(reviewed.reading.id, reviewed.learner.id)).toMatchObject({ state: 'in_progress', percent: 50 });
    expect((await s.get(ReviewInboxService).counts(admin)).waiting).toBeGreaterThanOrEqual(1);
    await reflections.review(submitted.id, admin, { decision: 'approve' });
    expect(await progressOf(reviewed.reading.id, reviewed.learner.id)).toMatchObject({ state: 'completed', madeUp: false });
  });

  it('an approval after the due date of a reflection handed in before it is not 补学', async () => {
    const { reading, learner } = await readingFor(true, new Date(Date.now() + DAY));
    const submitted = await reflections.submit(reading.id, learner, { body: REFLECTION });
    // Handed in two days ago; the due date passed yesterday; the reviewer approves today.
    await ds.query(`UPDATE reflections SET submitted_at = ? WHERE id = ?`, [new Date(Date.now() - 2 * DAY), submitted.id]);
    await ds.query(`UPDATE activities SET due_at = ? WHERE id = ?`, [new Date(Date.now() - DAY), reading.id]);
    await reflections.review(submitted.id, admin, { decision: 'approve' });
    expect(await progressOf(reading.id, learner.id)).toMatchObject({ state: 'completed', madeUp: false });
  });

  it('a returned reflection needs feedback, and two reviews of one reflection at once record one', async () => {
    const { reading, learner } = await readingFor(true);
    const submitted = await reflections.submit(reading.id, learner, { body: REFLECTION });
    await expect(reflections.review(submitted.id, admin, { decision: 'return' })).rejects.toMatchObject({ response: { code: 'FEEDBACK_REQUIRED' } });
    const results = await Promise.allSettled([
      reflections.review(submitted.id, admin, { decision: 'return', feedback: '请联系实际' }),
      reflections.review(submitted.id, admin, { decision: 'return', feedback: '请再具体些' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.response.code)).toEqual(['REFLECTION_NOT_REVIEWABLE']);
  });
});
