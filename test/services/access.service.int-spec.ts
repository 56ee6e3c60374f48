import { AccessModule } from '../../src/access/access.module';
import { CourseAccessService } from '../../src/access/course-access.service';
import { Activity } from '../../src/courses/activity.entity';
import { Course } from '../../src/courses/course.entity';
import { CourseInstructor } from '../../src/courses/course-instructor.entity';
import { Section } from '../../src/courses/section.entity';
import { Enrollment } from '../../src/enrollments/enrollment.entity';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createServiceModule, type ServiceModule } from '../support/service-module';
import { asActor } from '../support/service-fakes';

const DAY = 24 * 3600 * 1000;

describe('CourseAccessService (who may see and do what, real database)', () => {
  let app: ServiceModule;
  let access: CourseAccessService;

  beforeAll(async () => {
    app = await createServiceModule({ imports: [AccessModule] });
    access = app.get(CourseAccessService);
  });

  afterAll(() => app.close());

  /** A course with one video lesson, its instructor and an active and a withdrawn learner. */
  async function setUp(status: Course['status'] = 'published', activity: Partial<Activity> = {}) {
    const ds = app.dataSource;
    const unit = await makeUnit(ds);
    const branch = await makeBranch(ds, unit);
    const teacher = await makeUser(ds, { role: 'instructor' });
    const learner = await makeUser(ds, { branch });
    const withdrawn = await makeUser(ds, { branch });
    const course = await ds.getRepository(Course).save({
      title: '培训班',
      startsAt: new Date(Date.now() - DAY),
      endsAt: new Date(Date.now() + 30 * DAY),
      status,
      requiredCreditHours: 1.5,
    } as Course);
    const section = await ds.getRepository(Section).save({ courseId: course.id, title: '单元', position: 0 } as Section);
    const video = await ds.getRepository(Activity).save({
      courseId: course.id,
      sectionId: section.id,
      type: 'video',
      title: '党章学习',
      creditHours: 1.5,
      settings: { durationSeconds: 600, completionPercent: 90 },
      ...activity,
    } as Activity);
    await ds.getRepository(CourseInstructor).save({ courseId: course.id, userId: teacher.id });
    for (const [user, state] of [[learner, 'active'], [withdrawn, 'withdrawn']] as const) {
      await ds.getRepository(Enrollment).save({ courseId: course.id, userId: user.id, status: state, source: 'user', enrolledAt: new Date() } as Enrollment);
    }
    return { unit, course, video, teacher: asActor(teacher), learner: asActor(learner), withdrawn: asActor(withdrawn) };
  }

  it('reads the course as the courses module stores it, and says how the caller relates to it', async () => {
    const { course, teacher, learner } = await setUp();
    const seen = await access.view(course.id, teacher);
    expect(seen.role).toBe('instructor');
    expect(seen.course).toMatchObject({ id: course.id, status: 'published', requiredCreditHours: 1.5, makeUpPolicy: 'until_end' });
    expect(seen.course.startsAt).toEqual(course.startsAt);
    expect((await access.view(course.id, learner)).role).toBe('learner');
  });

  it('a course is absent for an instructor who does not teach it and for learners of a draft', async () => {
    const { course } = await setUp();
    const stranger = asActor(await makeUser(app.dataSource, { role: 'instructor' }));
    await expect(access.view(course.id, stranger)).rejects.toMatchObject({ response: { code: 'COURSE_NOT_FOUND' } });
    const draft = await setUp('draft');
    await expect(access.view(draft.course.id, draft.learner)).rejects.toMatchObject({ response: { code: 'COURSE_NOT_FOUND' } });
  });

  it('learners may not edit or manage; they see the activity with its settings', async () => {
    const { course, video, learner } = await setUp();
    await expect(access.edit(course.id, learner)).rejects.toMatchObject({ response: { code: 'NOT_COURSE_EDITOR' } });
    await expect(access.manage(course.id, learner)).rejects.toMatchObject({ response: { code: 'NOT_COURSE_MANAGER' } });
    const { activity } = await access.activityView(video.id, learner);
    expect(activity).toMatchObject({ id: video.id, type: 'video', creditHours: 1.5, required: true, settings: { durationSeconds: 600 } });
  });

  it('work that counts needs an active enrolment and the right activity type', async () => {
    const { video, learner, withdrawn } = await setUp();
    await expect(access.activityForLearning(video.id, learner, 'video')).resolves.toMatchObject({ activity: { id: video.id } });
    await expect(access.activityForLearning(video.id, withdrawn, 'video')).rejects.toMatchObject({ response: { code: 'NOT_ENROLLED' } });
    await expect(access.activityForLearning(video.id, learner, 'quiz')).rejects.toMatchObject({ response: { code: 'NOT_A_QUIZ' } });
  });

  it('archived activities are absent for learners; overdue work without make-up is closed', async () => {
    const archived = await setUp('published', { archivedAt: new Date() });
    await expect(access.activityView(archived.video.id, archived.learner)).rejects.toMatchObject({ response: { code: 'ACTIVITY_NOT_FOUND' } });
    const overdue = await setUp('published', { dueAt: new Date(Date.now() - 3600_000) });
    await expect(access.activityForWork(overdue.video.id, overdue.learner, 'video')).resolves.toMatchObject({ window: { state: 'makeUp' } });
    await app.dataSource.getRepository(Course).update({ id: overdue.course.id }, { makeUpPolicy: 'none' });
    await expect(access.activityForWork(overdue.video.id, overdue.learner, 'video')).rejects.toMatchObject({ response: { code: 'ACTIVITY_CLOSED' } });
  });

  it("a unit admin reaches only their unit's learners", async () => {
    const { unit, learner } = await setUp();
    const unitAdmin = asActor(await makeUser(app.dataSource, { role: 'admin', unitId: unit.id }));
    const outsider = await makeUser(app.dataSource, { branch: await makeBranch(app.dataSource, await makeUnit(app.dataSource)) });
    const notFound = (ids: string[]) => new Error(`not found: ${ids.join(',')}`);
    await expect(access.assertLearnersInUnit(unitAdmin, [learner.id], notFound)).resolves.toBeUndefined();
    await expect(access.assertLearnersInUnit(unitAdmin, [learner.id, outsider.id], notFound)).rejects.toThrow(`not found: ${outsider.id}`);
  });
});
