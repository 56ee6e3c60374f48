import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../src/common/auth-user';
import { ActivitiesService } from '../../src/courses/activities.service';
import { CoursesModule } from '../../src/courses/courses.module';
import { CoursesService } from '../../src/courses/courses.service';
import type { AfterCommitEvents } from '../../src/events/event-map';
import { OnEvent } from '../../src/events/on-event.decorator';
import { JOB_DEFINITIONS } from '../../src/jobs/jobs';
import { ProgressModule } from '../../src/progress/progress.module';
import { RedisModule } from '../../src/redis/redis.module';
import { makeUser } from '../factories/org.factory';
import { createServiceModule, type ServiceModule } from '../support/service-module';
import { asActor, FakeJobsModule, queuedJobs } from '../support/service-fakes';

@Injectable()
class ClosedCourses {
  readonly closed: string[] = [];

  @OnEvent('course.closed')
  async remember({ courseId }: AfterCommitEvents['course.closed']): Promise<void> {
    this.closed.push(courseId);
  }
}

const DAY = 24 * 3600 * 1000;

describe('CoursesService (rules, real database)', () => {
  let app: ServiceModule;
  let courses: CoursesService;
  let activities: ActivitiesService;
  let admin: AuthUser;
  let teacher: AuthUser;
  let otherTeacher: AuthUser;

  beforeAll(async () => {
    app = await createServiceModule({ imports: [RedisModule, FakeJobsModule, CoursesModule, ProgressModule], providers: [ClosedCourses] });
    courses = app.get(CoursesService);
    activities = app.get(ActivitiesService);
    admin = asActor(await makeUser(app.dataSource, { role: 'admin' }));
    teacher = asActor(await makeUser(app.dataSource, { role: 'instructor' }));
    otherTeacher = asActor(await makeUser(app.dataSource, { role: 'instructor' }));
  });

  afterAll(() => app.close());

  const period = () => ({ startsAt: new Date(Date.now() + DAY).toISOString(), endsAt: new Date(Date.now() + 60 * DAY).toISOString() });

  async function courseWithVideo(actor: AuthUser, requiredCreditHours = 1) {
    const course = await courses.create({ title: '支部书记培训班', ...period(), requiredCreditHours }, actor);
    const section = await courses.createSection(course.id, { title: '第一单元' }, actor);
    await activities.create(course.id, { type: 'video', sectionId: section.id, title: '党章学习', creditHours: 1, durationSeconds: 600 }, actor);
    return course;
  }

  it('an instructor who creates a course teaches it; nobody else who teaches finds it', async () => {
    const course = await courses.create({ title: '新班', ...period() }, teacher);
    expect(course.instructors.map((i) => i.id)).toEqual([teacher.id]);
    expect((await courses.list({ page: 1, pageSize: 100, skip: 0 } as never, teacher)).items.map((c) => c.id)).toContain(course.id);
    expect((await courses.list({ page: 1, pageSize: 100, skip: 0 } as never, otherTeacher)).items.map((c) => c.id)).not.toContain(course.id);
    await expect(courses.detail(course.id, otherTeacher)).rejects.toMatchObject({ response: { code: 'COURSE_NOT_FOUND' } });
  });

  it('names only active instructors as instructors', async () => {
    const secretary = await makeUser(app.dataSource, { role: 'secretary' });
    await expect(courses.create({ title: '新班', ...period(), instructorIds: [secretary.id] }, admin)).rejects.toMatchObject({
      response: { code: 'UNKNOWN_INSTRUCTOR' },
    });
  });

  it('an instructor cannot remove the last instructor of their course; an admin can', async () => {
    const course = await courses.create({ title: '新班', ...period() }, teacher);
    await expect(courses.setInstructors(course.id, [teacher.id], teacher, 'remove')).rejects.toMatchObject({ response: { code: 'LAST_INSTRUCTOR' } });
    expect((await courses.setInstructors(course.id, [teacher.id], admin, 'remove')).instructors).toEqual([]);
  });

  it('publishing lists every problem of the plan at once, then publishes once they are fixed', async () => {
    const course = await courses.create({ title: '新班', ...period(), requiredCreditHours: 5, requiredSessions: 1 }, admin);
    const refused = await courses.publish(course.id, admin).catch((error: { response: unknown }) => error.response);
    expect(refused).toMatchObject({ code: 'PLAN_INVALID' });
    expect((refused as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual(['activities', 'requiredCreditHours', 'requiredSessions']);

    const sound = await courseWithVideo(admin);
    const published = await courses.publish(sound.id, admin);
    expect(published.status).toBe('published');
    expect(queuedJobs).toContain('course.close');
  });

  it('a published course stays publishable: an edit that breaks the plan is refused with its problems', async () => {
    const course = await courseWithVideo(admin);
    await courses.publish(course.id, admin);
    await expect(courses.update(course.id, { requiredCreditHours: 10 }, admin)).rejects.toMatchObject({ response: { code: 'PLAN_INVALID' } });
    expect((await courses.view(course.id)).requiredCreditHours).toBe(1);
  });

  it('closing: a draft is refused; a published course closes once, tells the certificates, and takes no more edits', async () => {
    const draft = await courses.create({ title: '草稿班', ...period() }, admin);
    await expect(courses.close(draft.id, admin)).rejects.toMatchObject({ response: { code: 'COURSE_NOT_PUBLISHED' } });

    const course = await courseWithVideo(admin);
    await courses.publish(course.id, admin);
    const certificatesJobId = JOB_DEFINITIONS['certificates.compile'].id({ courseId: course.id });
    expect(await courses.close(course.id, admin)).toMatchObject({ status: 'closed', certificatesJobId });
    expect(app.get(ClosedCourses).closed).toContain(course.id);
    // Closing again changes nothing and points at the same compile.
    expect(await courses.close(course.id, admin)).toMatchObject({ status: 'closed', certificatesJobId });
    await expect(courses.update(course.id, { title: '改名' }, admin)).rejects.toMatchObject({ response: { code: 'COURSE_CLOSED' } });
  });

  it("closing is the department's: an instructor of the course is refused for what they are", async () => {
    const course = await courseWithVideo(teacher);
    await courses.publish(course.id, teacher);
    await expect(courses.close(course.id, teacher)).rejects.toMatchObject({ status: 403 });
  });

  it('a section with activities cannot be deleted', async () => {
    const course = await courses.create({ title: '新班', ...period() }, admin);
    const section = await courses.createSection(course.id, { title: '第一单元' }, admin);
    await activities.create(course.id, { type: 'video', sectionId: section.id, title: '视频', durationSeconds: 60 }, admin);
    await expect(courses.deleteSection(section.id, admin)).rejects.toMatchObject({ response: { code: 'SECTION_NOT_EMPTY' } });
  });
});
