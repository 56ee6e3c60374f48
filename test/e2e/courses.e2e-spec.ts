import { Activity } from '../../src/courses/activity.entity';
import { Course } from '../../src/courses/course.entity';
import { ProgressService } from '../../src/progress/progress.service';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { sampleVideo } from '../support/sample-videos';
import { createTestApp, TestApp } from '../support/test-app';
import { watchVideo } from '../factories/learner-work';

const VIDEO = sampleVideo(10, 'mp4').bytes;

const PERIOD = { startsAt: '2026-09-01T00:00:00+08:00', endsAt: '2026-12-31T23:59:59+08:00' };

/** One activity body of each type, valid inside PERIOD. */
function activityBodies(sectionId: string) {
  return {
    video: { type: 'video', sectionId, title: '视频：开班导学', required: true, creditHours: 2, dueAt: '2026-09-30T23:59:00+08:00', durationSeconds: 600 },
    reading: { type: 'reading', sectionId, title: '阅读：支部书记职责', required: true, creditHours: 3, body: '# 职责\n\n正文……', minReflectionLength: 50 },
    quiz: {
      type: 'quiz', sectionId, title: '九月测验', required: true, creditHours: 1, passPercent: 60, maxAttempts: 3,
      questions: [
        { kind: 'single', prompt: '正式党员几人以上应成立支部？', options: ['2人', '3人', '5人'], answer: 1 },
        { kind: 'truefalse', prompt: '支部书记是支部工作第一责任人。', answer: true },
      ],
    },
    discussion: { type: 'discussion', sectionId, title: '研讨：我的第一个月', required: true, creditHours: 2, prompt: '谈谈你的体会', minPosts: 1, minReplies: 1 },
    session: {
      type: 'session', sectionId, title: '开班仪式', required: true, creditHours: 4,
      startsAt: '2026-09-09T14:30:00+08:00', endsAt: '2026-09-09T17:30:00+08:00', location: '行政楼报告厅', speaker: '组织部 王老师',
    },
  };
}

describe('courses: lifecycle, plan validation, access (e2e)', () => {
  let t: TestApp;
  let adminToken: string;
  let instructorToken: string;
  let otherInstructorToken: string;
  let instructorId: string;

  beforeAll(async () => {
    t = await createTestApp();
    adminToken = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    const instructor = await makeUser(t.dataSource, { role: 'instructor' });
    instructorId = instructor.id;
    instructorToken = await t.login(instructor.username);
    otherInstructorToken = await t.login((await makeUser(t.dataSource, { role: 'instructor' })).username);
  });
  afterAll(() => t.close());

  /** A required video lesson needs its file before the course can be published. */
  async function uploadVideo(activityId: string, token = instructorToken) {
    const response = await t.request({ method: 'POST', url: `/api/activities/${activityId}/video`, token, ...multipartFile('file', 'lesson.mp4', VIDEO, 'video/mp4') });
    expect(response.statusCode).toBe(200);
  }

  async function draftCourse(token = instructorToken, extra: Record<string, unknown> = {}) {
    const course = await t.post('/api/courses', { title: `培训班${uniq()}`, ...PERIOD, requiredCreditHours: 12, requiredSessions: 1, ...extra }, token);
    expect(course.statusCode).toBe(201);
    const section = await t.post(`/api/courses/${course.json().id}/sections`, { title: '九月：理论学习' }, token);
    expect(section.statusCode).toBe(201);
    return { courseId: course.json().id as string, sectionId: section.json().id as string };
  }

  it('takes a course from draft through published to closed, with every activity type', async () => {
    const { courseId, sectionId } = await draftCourse();
    const detail = await t.get(`/api/courses/${courseId}`, instructorToken);
    expect(detail.json()).toMatchObject({ status: 'draft', role: 'instructor', requiredCreditHours: 12, instructors: [{ id: instructorId }] });

    for (const body of Object.values(activityBodies(sectionId))) {
      const created = await t.post(`/api/courses/${courseId}/activities`, body, instructorToken);
      expect(created.statusCode === 201 ? 201 : created.body).toBe(201);
      expect(created.json()).toMatchObject({ type: body.type, title: body.title, sectionId });
      if (body.type === 'video') {
        await uploadVideo(created.json().id);
      }
    }
    const published = await t.post(`/api/courses/${courseId}/publish`, {}, instructorToken);
    expect(published.statusCode).toBe(200);
    expect(published.json().status).toBe('published');
    expect(published.json().warnings).toEqual([]);
    // Publishing again is harmless; closing is the department's.
    expect((await t.post(`/api/courses/${courseId}/publish`, {}, instructorToken)).json().status).toBe('published');
    expect((await t.post(`/api/courses/${courseId}/close`, {}, instructorToken)).statusCode).toBe(403);

    const closed = await t.post(`/api/courses/${courseId}/close`, {}, adminToken);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed' });
    expect(closed.json().closedAt).toBeTruthy();
    const edit = await t.patch(`/api/courses/${courseId}`, { title: '改名' }, adminToken);
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('COURSE_CLOSED');
  });

  it('publishes a course whose required video has no file yet, with a warning naming it', async () => {
    const { courseId, sectionId } = await draftCourse(instructorToken, { requiredCreditHours: 0, requiredSessions: 0 });
    const video = await t.post(`/api/courses/${courseId}/activities`, activityBodies(sectionId).video, instructorToken);
    const published = await t.post(`/api/courses/${courseId}/publish`, {}, instructorToken);
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', warnings: [expect.objectContaining({ activityId: video.json().id, field: 'file' })] });
  });

  it('refuses to publish an unsound plan and lists every problem with its field', async () => {
    const { courseId, sectionId } = await draftCourse(instructorToken, { requiredCreditHours: 50, requiredSessions: 2 });
    const empty = await t.post(`/api/courses/${courseId}/publish`, {}, instructorToken);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().problems.map((p: { field: string }) => p.field).sort()).toEqual(['activities', 'requiredCreditHours', 'requiredSessions']);

    await t.post(`/api/courses/${courseId}/activities`, activityBodies(sectionId).session, instructorToken);
    const short = await t.post(`/api/courses/${courseId}/publish`, {}, instructorToken);
    expect(short.statusCode).toBe(400);
    expect(short.json().problems).toEqual([
      expect.objectContaining({ activityId: null, field: 'requiredCreditHours' }),
      expect.objectContaining({ activityId: null, field: 'requiredSessions' }),
    ]);
    expect(short.json().message.join(' ')).toContain('学时');
    expect((await t.dataSource.getRepository(Course).findOneByOrFail({ id: courseId })).status).toBe('draft');

    await t.patch(`/api/courses/${courseId}`, { requiredCreditHours: 4, requiredSessions: 1 }, instructorToken);
    expect((await t.post(`/api/courses/${courseId}/publish`, {}, instructorToken)).statusCode).toBe(200);
    // A published course must stay sound: raising the requirement beyond what the plan offers is refused.
    const raise = await t.patch(`/api/courses/${courseId}`, { requiredCreditHours: 99 }, instructorToken);
    expect(raise.statusCode).toBe(400);
    expect(raise.json().code).toBe('PLAN_INVALID');
    expect((await t.dataSource.getRepository(Course).findOneByOrFail({ id: courseId })).requiredCreditHours).toBe(4);
  });

  it('answers bad activities with 400 naming each problem, and writes nothing', async () => {
    const { courseId, sectionId } = await draftCourse();
    const count = () => t.dataSource.getRepository(Activity).countBy({ courseId });
    const bodies = activityBodies(sectionId);
    // Each problem names its field and rule for programs, and says it in Chinese for people.
    const cases: [Record<string, unknown>, { field: string; rule: string; message: string }][] = [
      [{ ...bodies.video, dueAt: '2027-01-15T00:00:00+08:00' }, { field: 'dueAt', rule: 'insidePeriod', message: '截止时间须在培训期内（2026-09-01 00:00 至 2026-12-31 23:59）' }],
      [{ ...bodies.video, opensAt: '2026-10-01T00:00:00+08:00', dueAt: '2026-09-30T00:00:00+08:00' }, { field: 'dueAt', rule: 'after', message: '截止时间须晚于开放时间' }],
      [{ ...bodies.session, startsAt: '2027-03-01T14:00:00+08:00', endsAt: '2027-03-01T16:00:00+08:00' }, { field: 'startsAt', rule: 'insidePeriod', message: expect.stringContaining('开始时间须在培训期内') }],
      [{ ...bodies.reading, creditHours: -1 }, { field: 'creditHours', rule: 'min', message: '学时不能小于 0' }],
      [{ ...bodies.quiz, questions: [{ kind: 'single', prompt: '?', options: ['a', 'b'], answer: 5 }] }, { field: 'questions.0.answer', rule: 'optionIndex', message: '题目第 1 项的答案须为其中一个选项的序号' }],
      [{ ...bodies.video, durationSeconds: undefined }, { field: 'durationSeconds', rule: 'required', message: '请填写视频时长' }],
      [{ ...bodies.discussion, location: '礼堂' }, { field: 'location', rule: 'notApplicable', message: '该类型的学习任务不接受字段 location' }],
      [{ ...bodies.video, type: 'podcast' }, { field: 'type', rule: 'oneOf', message: '类型的取值不在可选范围内' }],
      [{ ...bodies.video, dueAt: 'next friday' }, { field: 'dueAt', rule: 'dateTimeWithOffset', message: expect.stringContaining('截止时间须为带时区的日期时间') }],
    ];
    for (const [body, expected] of cases) {
      const response = await t.post(`/api/courses/${courseId}/activities`, body, instructorToken);
      expect({ status: response.statusCode, code: response.json().code, errors: response.json().errors }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        errors: expect.arrayContaining([expect.objectContaining(expected)]),
      });
    }
    const otherCourse = await draftCourse();
    const foreignSection = await t.post(`/api/courses/${courseId}/activities`, { ...bodies.video, sectionId: otherCourse.sectionId }, instructorToken);
    expect(foreignSection.statusCode).toBe(400);
    expect(foreignSection.json()).toMatchObject({ code: 'UNKNOWN_SECTION', errors: [{ field: 'sectionId', rule: 'notInCourse', message: '单元不属于该培训班' }] });
    expect(await count()).toBe(0);

    const bothDates = await t.post('/api/courses', { title: '倒置', startsAt: PERIOD.endsAt, endsAt: PERIOD.startsAt }, instructorToken);
    expect(bothDates.statusCode).toBe(400);
    expect(bothDates.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'endsAt', rule: 'after', message: '结束时间须晚于开始时间' }] });
  });

  it('hides quiz answers from learners and shows archived activities only to editors', async () => {
    const { courseId, sectionId } = await draftCourse();
    const bodies = activityBodies(sectionId);
    const quiz = (await t.post(`/api/courses/${courseId}/activities`, bodies.quiz, instructorToken)).json();
    const video = (await t.post(`/api/courses/${courseId}/activities`, bodies.video, instructorToken)).json();
    await uploadVideo(video.id);
    await t.post(`/api/courses/${courseId}/activities`, bodies.session, instructorToken);
    await t.patch(`/api/courses/${courseId}`, { requiredCreditHours: 5 }, instructorToken);
    expect((await t.post(`/api/courses/${courseId}/publish`, {}, instructorToken)).statusCode).toBe(200);

    const unit = await makeUnit(t.dataSource);
    const secretary = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, unit) });
    const secretaryToken = await t.login(secretary.username);
    expect((await t.get(`/api/courses/${courseId}`, secretaryToken)).statusCode).toBe(404);
    expect((await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [secretary.id] }, instructorToken)).json()).toMatchObject({ enrolled: 1 });

    const seen = await t.get(`/api/courses/${courseId}`, secretaryToken);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().role).toBe('learner');
    const learnerQuiz = seen.json().sections[0].activities.find((a: { id: string }) => a.id === quiz.id);
    expect(learnerQuiz.settings).toEqual({ passPercent: 60, maxAttempts: 3, shuffleOptions: false, showAnswersAfterSubmit: false, grading: 'best', questionCount: 2 });
    expect(JSON.stringify(seen.json())).not.toContain('"answer"');
    expect((await t.get(`/api/activities/${quiz.id}`, secretaryToken)).json().settings.questions).toBeUndefined();
    expect((await t.get(`/api/activities/${quiz.id}`, instructorToken)).json().settings.questions).toHaveLength(2);

    // Learner records block deletion; archiving keeps them and hides the activity from learners.
    await watchVideo(t.app.get(ProgressService), secretary.id, await t.dataSource.getRepository(Activity).findOneByOrFail({ id: video.id }), 60);
    const del = await t.delete(`/api/activities/${video.id}`, instructorToken);
    expect(del.statusCode).toBe(409);
    expect(del.json().code).toBe('ACTIVITY_HAS_RECORDS');
    expect((await t.post(`/api/activities/${video.id}/archive`, {}, instructorToken)).json().archivedAt).toBeTruthy();
    const after = (await t.get(`/api/courses/${courseId}`, secretaryToken)).json();
    expect(after.sections[0].activities.map((a: { id: string }) => a.id)).not.toContain(video.id);
    expect((await t.get(`/api/activities/${video.id}`, secretaryToken)).statusCode).toBe(404);
    expect((await t.get(`/api/courses/${courseId}`, instructorToken)).json().sections[0].activities.map((a: { id: string }) => a.id)).toContain(video.id);
    expect((await t.post(`/api/activities/${video.id}/unarchive`, {}, instructorToken)).json().archivedAt).toBeNull();
  });

  it('lets only the course instructors and admins edit; others get 403 or 404', async () => {
    const { courseId, sectionId } = await draftCourse();
    const unit = await makeUnit(t.dataSource);
    const unitAdminToken = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unit.id })).username);
    const secretaryToken = await t.login((await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, unit) })).username);

    expect((await t.get(`/api/courses/${courseId}`, otherInstructorToken)).statusCode).toBe(404);
    expect((await t.patch(`/api/courses/${courseId}`, { title: '抢改' }, otherInstructorToken)).statusCode).toBe(404);
    expect((await t.post(`/api/courses/${courseId}/activities`, activityBodies(sectionId).video, otherInstructorToken)).statusCode).toBe(404);
    expect((await t.get(`/api/courses/${courseId}`, unitAdminToken)).json().role).toBe('unit-admin');
    expect((await t.post('/api/courses', { title: 'x', ...PERIOD }, secretaryToken)).statusCode).toBe(403);
    expect((await t.get(`/api/courses/${courseId}`, secretaryToken)).statusCode).toBe(404);

    // A unit admin may run the unit's own class: create it and edit it.
    const own = await t.post('/api/courses', { title: `单位自办班${uniq()}`, ...PERIOD }, unitAdminToken);
    expect(own.statusCode).toBe(201);
    const ownSection = await t.post(`/api/courses/${own.json().id}/sections`, { title: '一' }, unitAdminToken);
    expect(ownSection.statusCode).toBe(201);
    expect((await t.post(`/api/courses/${own.json().id}/activities`, activityBodies(ownSection.json().id).reading, unitAdminToken)).statusCode).toBe(201);
    expect((await t.patch(`/api/courses/${own.json().id}`, { title: '改名的单位班' }, unitAdminToken)).json().title).toBe('改名的单位班');
    // As API.md says, a unit admin may do what an admin may with courses (their limits are people and reports).
    expect((await t.patch(`/api/courses/${courseId}`, { description: '单位补充' }, unitAdminToken)).statusCode).toBe(200);

    // The department adds the other instructor, who may then edit.
    const other = await makeUser(t.dataSource, { role: 'instructor' });
    expect((await t.post(`/api/courses/${courseId}/instructors`, { userIds: [other.id] }, adminToken)).json().instructors).toHaveLength(2);
    const otherToken = await t.login(other.username);
    const renamed = await t.patch(`/api/courses/${courseId}`, { title: '新班名' }, otherToken);
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().title).toBe('新班名');
    const secretary = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, unit) });
    const notInstructor = await t.post(`/api/courses/${courseId}/instructors`, { userIds: [secretary.id] }, adminToken);
    expect(notInstructor.statusCode).toBe(400);
    expect(notInstructor.json()).toMatchObject({ code: 'UNKNOWN_INSTRUCTOR', errors: [{ field: 'instructorIds', rule: 'unknownId', params: { ids: [secretary.id] } }] });

    const list = await t.get('/api/courses', otherInstructorToken);
    expect(list.json().items.map((c: { id: string }) => c.id)).not.toContain(courseId);
    expect((await t.get('/api/courses', otherToken)).json().items.map((c: { id: string }) => c.id)).toContain(courseId);
  });

  it('manages sections: ordered, renamable, deletable only when empty', async () => {
    const { courseId, sectionId } = await draftCourse();
    const second = await t.post(`/api/courses/${courseId}/sections`, { title: '十月：实践' }, instructorToken);
    expect(second.json().position).toBe(1);
    expect((await t.patch(`/api/sections/${second.json().id}`, { title: '十月：实践与交流', position: 5 }, instructorToken)).json()).toMatchObject({
      title: '十月：实践与交流',
      position: 5,
    });
    await t.post(`/api/courses/${courseId}/activities`, activityBodies(sectionId).video, instructorToken);
    expect((await t.delete(`/api/sections/${sectionId}`, instructorToken)).statusCode).toBe(409);
    expect((await t.delete(`/api/sections/${second.json().id}`, instructorToken)).statusCode).toBe(204);
    expect((await t.patch(`/api/sections/${sectionId}`, { title: '别人的' }, otherInstructorToken)).statusCode).toBe(404);
    const detail = (await t.get(`/api/courses/${courseId}`, instructorToken)).json();
    expect(detail.sections.map((s: { id: string }) => s.id)).toEqual([sectionId]);
  });

  it('applies concurrent edits one after the other, so learners’ 学时 follow the final value', async () => {
    const { courseId, sectionId } = await draftCourse(instructorToken, { requiredCreditHours: 0, requiredSessions: 0 });
    const video = (await t.post(`/api/courses/${courseId}/activities`, activityBodies(sectionId).video, instructorToken)).json();
    await uploadVideo(video.id);
    expect((await t.post(`/api/courses/${courseId}/publish`, {}, instructorToken)).statusCode).toBe(200);
    const learner = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) });
    await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [learner.id] }, instructorToken);
    await watchVideo(t.app.get(ProgressService), learner.id, await t.dataSource.getRepository(Activity).findOneByOrFail({ id: video.id }), 600);

    const edits = await Promise.all([3, 5].map((creditHours) => t.patch(`/api/activities/${video.id}`, { creditHours }, instructorToken)));
    expect(edits.map((e) => e.statusCode)).toEqual([200, 200]);
    const final = (await t.dataSource.getRepository(Activity).findOneByOrFail({ id: video.id })).creditHours;
    const summary = await t.app.get(ProgressService).summary(courseId, learner.id);
    expect(summary?.creditHours).toBe(final);
  });
});
