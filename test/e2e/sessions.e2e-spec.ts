import ExcelJS from 'exceljs';
import { Activity } from '../../src/courses/activity.entity';
import { ActivityProgress } from '../../src/progress/activity-progress.entity';
import { ProgressService } from '../../src/progress/progress.service';
import { Attendance } from '../../src/sessions/attendance.entity';
import { CODE_SLOT_SECONDS, SessionsService } from '../../src/sessions/sessions.service';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { taughtCourseSuite } from '../factories/taught-course';

describe('in-person sessions: rotating check-in and attendance (e2e)', () => {
  const s = taughtCourseSuite(`集中培训${uniq()}`, 10);

  /** A session running now (or starting in `startsInMinutes`), with one enrolled learner. */
  async function session(startsInMinutes = -10) {
    const starts = Date.now() + startsInMinutes * 60_000;
    const id = await s.addPublished({
      type: 'session',
      title: `辅导报告${uniq()}`,
      creditHours: 4,
      startsAt: new Date(starts).toISOString(),
      endsAt: new Date(starts + 3 * 3600e3).toISOString(),
      location: '行政楼报告厅',
      speaker: '组织部 王老师',
    });
    return { id, ...(await s.learner()) };
  }
  const code = (id: string, secondsAgo = 0) => s.t.app.get(SessionsService).codeAt(id, Date.now() - secondsAgo * 1000);

  it('projects a rotating code with its QR; accepts the current and previous code, refuses older ones', async () => {
    const { id, user, token } = await session();
    expect((await s.t.get(`/api/activities/${id}/checkin/code`, s.instructorToken)).json().code).toBe('CHECKIN_CLOSED');
    expect((await s.t.post(`/api/activities/${id}/checkin`, { code: code(id) }, token)).json().code).toBe('CHECKIN_CLOSED');
    expect((await s.t.post(`/api/activities/${id}/checkin/open`, { open: true }, s.instructorToken)).json()).toEqual({ open: true });

    const projected = (await s.t.get(`/api/activities/${id}/checkin/code`, s.instructorToken)).json();
    expect(projected.code).toMatch(/^\d{6}$/);
    expect(projected.qr).toMatch(/^data:image\/png;base64,/);
    expect(projected.expiresInSeconds).toBeLessThanOrEqual(CODE_SLOT_SECONDS);

    const stale = await s.t.post(`/api/activities/${id}/checkin`, { code: code(id, 3 * CODE_SLOT_SECONDS) }, token);
    expect(stale.statusCode).toBe(400);
    expect(stale.json().code).toBe('CHECKIN_CODE_INVALID');
    expect((await s.t.post(`/api/activities/${id}/checkin`, { code: 'abcdef' }, token)).statusCode).toBe(400);
    expect(await s.t.dataSource.getRepository(Attendance).countBy({ activityId: id })).toBe(0);

    // Not within a second of a slot change, so "previous" still means previous when the server checks it.
    const intoSlot = (Date.now() / 1000) % CODE_SLOT_SECONDS;
    if (intoSlot > CODE_SLOT_SECONDS - 1.5) await new Promise((resolve) => setTimeout(resolve, 2000));
    const ok = await s.t.post(`/api/activities/${id}/checkin`, { code: code(id, CODE_SLOT_SECONDS) }, token);
    expect(ok.json()).toMatchObject({ status: 'present', alreadyCheckedIn: false });
    expect((await s.t.post(`/api/activities/${id}/checkin`, { code: code(id) }, token)).json()).toMatchObject({ status: 'present', alreadyCheckedIn: true });
    expect(await s.t.dataSource.getRepository(Attendance).countBy({ activityId: id })).toBe(1);
    const progress = await s.t.dataSource.getRepository(ActivityProgress).findOneByOrFail({ activityId: id, userId: user.id });
    expect(progress.state).toBe('completed');
    const ledger = await s.t.dataSource.query(`SELECT hours, source FROM credit_entries WHERE activity_id = ? AND user_id = ?`, [id, user.id]);
    expect(ledger).toEqual([{ hours: '4.0', source: 'offline' }]);
  });

  it('refuses check-in before the session window opens', async () => {
    const { id, token } = await session(120);
    await s.t.post(`/api/activities/${id}/checkin/open`, { open: true }, s.instructorToken);
    const early = await s.t.post(`/api/activities/${id}/checkin`, { code: code(id) }, token);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('SESSION_NOT_STARTED');
    expect(await s.t.dataSource.getRepository(Attendance).countBy({ activityId: id })).toBe(0);
  });

  it('marks a list all or none: a database failure halfway leaves no one marked and no 学时 earned', async () => {
    const { id, user: first } = await session();
    const second = await makeUser(s.t.dataSource, { branch: await makeBranch(s.t.dataSource, await makeUnit(s.t.dataSource)) });
    const third = await makeUser(s.t.dataSource, { branch: await makeBranch(s.t.dataSource, await makeUnit(s.t.dataSource)) });
    await s.t.post(`/api/courses/${s.courseId}/enrollments`, { userIds: [second.id, third.id] }, s.adminToken);
    const everyone = [first.id, second.id, third.id];
    // A real failure inside MySQL while the third learner is written (the first two are written by then).
    const trigger = `fail_attendance_${third.id}`;
    await s.t.dataSource.query(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON attendance FOR EACH ROW
         BEGIN IF NEW.user_id = ${Number(third.id)} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'; END IF; END`,
    );
    try {
      const failed = await s.t.put(`/api/activities/${id}/attendance`, { userIds: everyone, present: true }, s.instructorToken);
      expect(failed.statusCode).toBe(500);
    } finally {
      await s.t.dataSource.query(`DROP TRIGGER IF EXISTS ${trigger}`);
    }
    expect(await s.t.dataSource.getRepository(Attendance).countBy({ activityId: id })).toBe(0);
    for (const userId of everyone) {
      expect((await s.t.app.get(ProgressService).summary(s.courseId, userId))?.sessionsAttended).toBe(0);
      expect(await s.t.dataSource.getRepository(ActivityProgress).countBy({ activityId: id, userId, state: 'completed' })).toBe(0);
    }
    // Once the database is well again, the same list is marked whole.
    expect((await s.t.put(`/api/activities/${id}/attendance`, { userIds: everyone, present: true }, s.instructorToken)).json()).toEqual({ updated: 3, status: 'present' });
    expect(await s.t.dataSource.getRepository(Attendance).countBy({ activityId: id, status: 'present' })).toBe(3);
    for (const userId of everyone) expect((await s.t.app.get(ProgressService).summary(s.courseId, userId))?.sessionsAttended).toBe(1);
  });

  it('marks by hand: excused needs a reason, absent after present takes the 学时 back; the list exports as CSV', async () => {
    const { id, user } = await session();
    const noReason = await s.t.put(`/api/activities/${id}/attendance/${user.id}`, { status: 'excused' }, s.instructorToken);
    expect(noReason.statusCode).toBe(400);
    expect((await s.t.put(`/api/activities/${id}/attendance/${user.id}`, { status: 'present' }, s.instructorToken)).json()).toMatchObject({ status: 'present', method: 'manual' });
    expect((await s.t.app.get(ProgressService).summary(s.courseId, user.id))?.sessionsAttended).toBe(1);
    expect((await s.t.put(`/api/activities/${id}/attendance/${user.id}`, { status: 'excused', reason: '出差' }, s.instructorToken)).json()).toMatchObject({ status: 'excused', reason: '出差' });
    const summary = await s.t.app.get(ProgressService).summary(s.courseId, user.id);
    expect(summary).toMatchObject({ sessionsAttended: 0 });

    const list = (await s.t.get(`/api/activities/${id}/attendance`, s.instructorToken)).json();
    expect(list).toContainEqual(expect.objectContaining({ user: expect.objectContaining({ id: user.id }), status: 'excused', reason: '出差' }));
    const csv = await s.t.get(`/api/activities/${id}/attendance?format=csv`, s.instructorToken);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFF工号,姓名,单位,支部,出勤')).toBe(true);
    expect(csv.body).toContain('请假');
    const xlsx = await s.t.request({ method: 'GET', url: `/api/activities/${id}/attendance?format=xlsx`, token: s.instructorToken });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('工号');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const rowOf = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === user.username)!;
    expect([rowOf.getCell(5).value, rowOf.getCell(7).value]).toEqual(['请假', '出差']);

    const stranger = await makeUser(s.t.dataSource, { branch: await makeBranch(s.t.dataSource, await makeUnit(s.t.dataSource)) });
    expect((await s.t.put(`/api/activities/${id}/attendance/${stranger.id}`, { status: 'present' }, s.instructorToken)).statusCode).toBe(404);
    const learnerToken = await s.t.login(user.username);
    expect((await s.t.get(`/api/activities/${id}/attendance`, learnerToken)).statusCode).toBe(403);
    expect((await s.t.get(`/api/activities/${id}/checkin/code`, learnerToken)).statusCode).toBe(403);
    const otherInstructor = await s.t.login((await makeUser(s.t.dataSource, { role: 'instructor' })).username);
    expect((await s.t.post(`/api/activities/${id}/checkin/open`, { open: true }, otherInstructor)).statusCode).toBe(404);
    expect(await s.t.dataSource.getRepository(Activity).countBy({ id })).toBe(1);
  });
});
