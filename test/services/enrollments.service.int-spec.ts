import type { AuthUser } from '../../src/common/auth-user';
import { Activity } from '../../src/courses/activity.entity';
import { Course } from '../../src/courses/course.entity';
import { Section } from '../../src/courses/section.entity';
import { EnrollmentsModule } from '../../src/enrollments/enrollments.module';
import { EnrollmentsService } from '../../src/enrollments/enrollments.service';
import { EventBus } from '../../src/events/event-bus';
import { CourseProgress } from '../../src/progress/course-progress.entity';
import { ProgressModule } from '../../src/progress/progress.module';
import { RedisModule } from '../../src/redis/redis.module';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createServiceModule, type ServiceModule } from '../support/service-module';
import { asActor, FakeJobsModule } from '../support/service-fakes';

const DAY = 24 * 3600 * 1000;

describe('EnrollmentsService (rules, real database)', () => {
  let app: ServiceModule;
  let enrollments: EnrollmentsService;
  let admin: AuthUser;

  beforeAll(async () => {
    app = await createServiceModule({ imports: [RedisModule, FakeJobsModule, EnrollmentsModule, ProgressModule] });
    enrollments = app.get(EnrollmentsService);
    admin = asActor(await makeUser(app.dataSource, { role: 'admin' }));
  });

  afterAll(() => app.close());

  async function publishedCourse(): Promise<Course> {
    const ds = app.dataSource;
    const course = await ds.getRepository(Course).save({ title: '培训班', startsAt: new Date(Date.now() - DAY), endsAt: new Date(Date.now() + 30 * DAY), status: 'published' } as Course);
    const section = await ds.getRepository(Section).save({ courseId: course.id, title: '单元', position: 0 } as Section);
    await ds.getRepository(Activity).save({ courseId: course.id, sectionId: section.id, type: 'video', title: '视频', settings: { durationSeconds: 60, completionPercent: 90 } } as Activity);
    return course;
  }

  const summaries = (courseId: string) => app.dataSource.getRepository(CourseProgress).findBy({ courseId });
  const page = { page: 1, pageSize: 50, skip: 0 } as never;

  it('enrols a branch once (a repeat changes nothing), starts each learner a summary, and keeps the rule for newcomers', async () => {
    const course = await publishedCourse();
    const branch = await makeBranch(app.dataSource, await makeUnit(app.dataSource));
    const [a, b] = [await makeUser(app.dataSource, { branch }), await makeUser(app.dataSource, { branch })];
    await makeUser(app.dataSource, { branch, role: 'instructor' });
    expect(await enrollments.enroll(course.id, { branchIds: [branch.id] }, admin)).toEqual({ enrolled: 2, total: 2 });
    expect(await enrollments.enroll(course.id, { branchIds: [branch.id] }, admin)).toEqual({ enrolled: 0, total: 2 });
    expect((await summaries(course.id)).map((s) => [s.userId, s.requiredTotal, s.active])).toEqual(
      expect.arrayContaining([[a.id, 1, true], [b.id, 1, true]]),
    );

    // Someone placed in the branch later (a roster import) is enrolled by the rule, in the import's transaction.
    const newcomer = await makeUser(app.dataSource, { branch });
    await app.dataSource.transaction((manager) => app.get(EventBus).emitInTransaction(manager, 'people.placed', { userIds: [newcomer.id] }));
    const listed = await enrollments.list(course.id, page, admin);
    expect(listed.items.map((e) => [e.user.id, e.source])).toEqual(expect.arrayContaining([[newcomer.id, 'roster']]));
    expect(listed.total).toBe(3);
  });

  it('withdrawal keeps the row and the record and takes the learner out of the counts; naming them again brings them back', async () => {
    const course = await publishedCourse();
    const branch = await makeBranch(app.dataSource, await makeUnit(app.dataSource));
    const learner = await makeUser(app.dataSource, { branch });
    await enrollments.enroll(course.id, { branchIds: [branch.id] }, admin);
    await enrollments.withdraw(course.id, learner.id, admin);
    expect((await enrollments.list(course.id, page, admin)).items).toMatchObject([{ user: { id: learner.id }, status: 'withdrawn' }]);
    expect(await summaries(course.id)).toMatchObject([{ userId: learner.id, active: false }]);
    // A branch rule does not bring back someone deliberately withdrawn; naming them does.
    expect(await enrollments.enroll(course.id, { branchIds: [branch.id] }, admin)).toEqual({ enrolled: 0, total: 0 });
    expect(await enrollments.enroll(course.id, { userIds: [learner.id] }, admin)).toEqual({ enrolled: 1, total: 1 });
    expect(await summaries(course.id)).toMatchObject([{ userId: learner.id, active: true }]);
  });

  it("a unit admin enrols, lists and withdraws only their unit's learners", async () => {
    const course = await publishedCourse();
    const unit = await makeUnit(app.dataSource);
    const mine = await makeUser(app.dataSource, { branch: await makeBranch(app.dataSource, unit) });
    const other = await makeUser(app.dataSource, { branch: await makeBranch(app.dataSource, await makeUnit(app.dataSource)) });
    const unitAdmin = asActor(await makeUser(app.dataSource, { role: 'admin', unitId: unit.id }));
    await expect(enrollments.enroll(course.id, { userIds: [other.id] }, unitAdmin)).rejects.toMatchObject({ response: { code: 'UNKNOWN_ENROLLMENT_TARGET' } });
    await enrollments.enroll(course.id, { userIds: [mine.id, other.id] }, admin);
    expect((await enrollments.list(course.id, page, unitAdmin)).items.map((e) => e.user.id)).toEqual([mine.id]);
    await expect(enrollments.withdraw(course.id, other.id, unitAdmin)).rejects.toMatchObject({ response: { code: 'ENROLLMENT_NOT_FOUND' } });
  });
});
