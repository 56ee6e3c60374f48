import ICAL from 'ical.js';
import { Activity } from '../../src/courses/activity.entity';
import { ProgressService } from '../../src/progress/progress.service';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { sampleVideo } from '../support/sample-videos';
import { createTestApp, TestApp } from '../support/test-app';
import { submitReflection } from '../factories/learner-work';

describe('schedule table and calendar feeds (e2e)', () => {
  let t: TestApp;
  let adminToken: string;
  let secretaryToken: string;
  let secretaryId: string;
  let courseId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    adminToken = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    const secretary = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) });
    secretaryId = secretary.id;
    secretaryToken = await t.login(secretary.username);

    const course = await t.post('/api/courses', { title: `安排表${uniq()}`, startsAt: '2026-09-01T00:00:00+08:00', endsAt: '2026-12-31T23:59:59+08:00' }, adminToken);
    courseId = course.json().id;
    const sep = (await t.post(`/api/courses/${courseId}/sections`, { title: '九月' }, adminToken)).json().id;
    const oct = (await t.post(`/api/courses/${courseId}/sections`, { title: '十月' }, adminToken)).json().id;
    const create = async (name: string, body: Record<string, unknown>) => {
      const response = await t.post(`/api/courses/${courseId}/activities`, body, adminToken);
      expect(response.statusCode).toBe(201);
      ids[name] = response.json().id;
    };
    await create('reading', { type: 'reading', sectionId: sep, title: '阅读：支部工作条例', creditHours: 2, body: '正文', dueAt: '2026-09-30T23:59:00+08:00' });
    // 10-01 00:30 in Beijing is still September in UTC: the month must follow Asia/Shanghai.
    await create('video', { type: 'video', sectionId: sep, title: '视频：导学', creditHours: 1, durationSeconds: 300, dueAt: '2026-10-01T00:30:00+08:00' });
    await create('session', {
      type: 'session', sectionId: oct, title: '专题辅导报告', creditHours: 4,
      startsAt: '2026-10-21T14:30:00+08:00', endsAt: '2026-10-21T17:30:00+08:00', location: '行政楼报告厅', speaker: '组织部 王老师',
    });
    await create('discussion', { type: 'discussion', sectionId: oct, title: '研讨（无截止）', creditHours: 1, prompt: '谈体会' });
    const video = sampleVideo(10, 'mp4').bytes;
    await t.request({ method: 'POST', url: `/api/activities/${ids.video}/video`, token: adminToken, ...multipartFile('file', 'v.mp4', video, 'video/mp4') });
    expect((await t.post(`/api/courses/${courseId}/publish`, {}, adminToken)).statusCode).toBe(200);
    await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [secretaryId] }, adminToken);
  });
  afterAll(() => t.close());

  it('lists the plan by section and by Beijing month with the learner’s own state', async () => {
    const progress = t.app.get(ProgressService);
    await submitReflection(progress, secretaryId, await t.dataSource.getRepository(Activity).findOneByOrFail({ id: ids.reading }), true);
    const schedule = await t.get(`/api/courses/${courseId}/schedule`, secretaryToken);
    expect(schedule.statusCode).toBe(200);
    const body = schedule.json();
    expect(body.sections.map((s: { title: string; items: unknown[] }) => [s.title, s.items.length])).toEqual([['九月', 2], ['十月', 2]]);
    expect(body.months.map((m: { month: string; items: { id: string }[] }) => [m.month, m.items.map((i) => i.id)])).toEqual([
      ['2026-09', [ids.reading]],
      ['2026-10', [ids.video, ids.session]],
    ]);
    const items = Object.fromEntries(body.sections.flatMap((s: { items: { id: string }[] }) => s.items).map((i: { id: string }) => [i.id, i]));
    expect(items[ids.reading]).toMatchObject({ state: 'completed', overdue: false });
    expect(items[ids.video]).toMatchObject({ state: 'not_started', overdue: true, month: '2026-10' });
    expect(items[ids.session]).toMatchObject({ location: '行政楼报告厅', speaker: '组织部 王老师', startsAt: '2026-10-21T06:30:00.000Z' });
    expect(items[ids.discussion]).toMatchObject({ month: null, dueAt: null });

    // Instructors and admins see the plan without a learner state.
    const asAdmin = (await t.get(`/api/courses/${courseId}/schedule`, adminToken)).json();
    expect(asAdmin.sections[0].items[0].state).toBeNull();
  });

  it('serves the plan as iCalendar that parses back to the same events', async () => {
    const response = await t.get(`/api/courses/${courseId}/schedule.ics`, secretaryToken);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(response.body));
    expect(calendar.getFirstPropertyValue('x-wr-timezone')).toBe('Asia/Shanghai');
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(3); // the discussion has no date
    const session = events.find((e) => e.summary.includes('专题辅导报告'))!;
    expect(session.location).toBe('行政楼报告厅');
    expect(session.startDate.toJSDate().toISOString()).toBe('2026-10-21T06:30:00.000Z');
    expect(session.endDate.toJSDate().toISOString()).toBe('2026-10-21T09:30:00.000Z');
    expect(session.description).toContain('主讲：组织部 王老师');
    const reading = events.find((e) => e.summary.includes('支部工作条例'))!;
    expect(reading.endDate.toJSDate().toISOString()).toBe('2026-09-30T15:59:00.000Z');
    expect(reading.summary).toContain('截止');
    expect(new Set(events.map((e) => e.uid)).size).toBe(3);
  });

  it('gives each user a secret feed URL that works without a token until revoked', async () => {
    const created = await t.post('/api/me/calendar-feed', {}, secretaryToken);
    expect(created.statusCode).toBe(201);
    const path = new URL(created.json().url).pathname;
    const feed = await t.get(path);
    expect(feed.statusCode).toBe(200);
    const events = new ICAL.Component(ICAL.parse(feed.body)).getAllSubcomponents('vevent');
    expect(events.map((e) => e.getFirstPropertyValue('uid'))).toEqual(expect.arrayContaining([`activity-${ids.session}@localhost`]));

    // A new URL replaces the old one; revoking ends both.
    const rotated = new URL((await t.post('/api/me/calendar-feed', {}, secretaryToken)).json().url).pathname;
    expect((await t.get(path)).statusCode).toBe(404);
    expect((await t.get(rotated)).statusCode).toBe(200);
    expect((await t.delete('/api/me/calendar-feed', secretaryToken)).statusCode).toBe(204);
    expect((await t.get(rotated)).statusCode).toBe(404);
    expect((await t.get('/api/calendar/not-a-real-token.ics')).statusCode).toBe(404);
  });

  it('shows the schedule only to people who may see the course', async () => {
    const stranger = await t.login((await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) })).username);
    expect((await t.get(`/api/courses/${courseId}/schedule`, stranger)).statusCode).toBe(404);
    expect((await t.get(`/api/courses/${courseId}/schedule.ics`, stranger)).statusCode).toBe(404);
    expect((await t.get(`/api/courses/${courseId}/schedule`)).statusCode).toBe(401);
  });
});
