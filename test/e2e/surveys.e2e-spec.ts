import type { INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { markCompleted } from '../factories/certificate.factory';
import { buildCourse, expectStatus } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { enrolledLearner, taughtCourse } from '../factories/taught-course';
import { eventually } from '../support/eventually';
import { createTestApp, TestApp } from '../support/test-app';
import { startWorker } from '../support/worker-context';

const HOUR = 3600e3;
const QUESTIONS = [
  { kind: 'single', prompt: '本期培训总体满意度', options: ['满意', '一般', '不满意'], required: true },
  { kind: 'multiple', prompt: '最有收获的内容', options: ['党章党规', '组织生活', '案例研讨'], required: false },
  { kind: 'scale', prompt: '授课质量评分', required: true },
  { kind: 'text', prompt: '意见和建议', required: false },
];

describe('surveys 调查研究 (e2e)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let dept: string;
  beforeAll(async () => {
    t = await createTestApp();
    // Certificates are compiled by the worker (the real one, on the test's queues).
    worker = await startWorker();
    dept = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const window = () => ({ opensAt: new Date(Date.now() - HOUR).toISOString(), closesAt: new Date(Date.now() + 24 * HOUR).toISOString() });
  async function secretaries(unitId: string, count: number) {
    const branch = await makeBranch(t.dataSource, { id: unitId } as never);
    return Promise.all(
      Array.from({ length: count }, async () => {
        const user = await makeUser(t.dataSource, { branch });
        return { user, token: await t.login(user.username) };
      }),
    );
  }

  it('creates with validation and access: department for any audience, an instructor only for a course they teach', async () => {
    const course = await taughtCourse(t, '调查班');
    const other = await taughtCourse(t, '别的班');
    const unit = await makeUnit(t.dataSource);
    const body = { title: '培训评估问卷', anonymous: true, ...window(), questions: QUESTIONS };

    const byInstructor = await t.post('/api/surveys', { ...body, audience: { courseId: course.courseId } }, course.instructorToken);
    expect(byInstructor.statusCode).toBe(201);
    expect(byInstructor.json()).toMatchObject({ audience: { kind: 'course', courseId: course.courseId }, open: true, answered: false });
    expect(byInstructor.json().questions[2]).toEqual({ kind: 'scale', prompt: '授课质量评分', options: [], required: true });
    expect((await t.post('/api/surveys', { ...body, audience: { courseId: other.courseId } }, course.instructorToken)).statusCode).toBe(404);
    expect((await t.post('/api/surveys', { ...body, audience: { all: true } }, course.instructorToken)).json().code).toBe('SURVEY_AUTHORS_ONLY');
    const unitAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unit.id })).username);
    expect((await t.post('/api/surveys', { ...body, audience: { unitId: unit.id } }, unitAdmin)).statusCode).toBe(403);
    expect((await t.post('/api/surveys', { ...body, audience: { unitId: unit.id } }, dept)).statusCode).toBe(201);
    expect((await t.post('/api/surveys', { ...body, audience: { unitId: '999999999' } }, dept)).json().code).toBe('UNIT_NOT_FOUND');

    const twoAudiences = await t.post('/api/surveys', { ...body, audience: { unitId: unit.id, all: true } }, dept);
    expect(twoAudiences.statusCode).toBe(400);
    expect(twoAudiences.json().message.join()).toContain('问卷对象');
    const badDates = await t.post('/api/surveys', { ...body, audience: { all: true }, closesAt: body.opensAt }, dept);
    expect(badDates.json().errors[0]).toMatchObject({ field: 'closesAt', rule: 'after' });
    const noOptions = await t.post('/api/surveys', { ...body, audience: { all: true }, questions: [{ kind: 'single', prompt: '？', required: true }] }, dept);
    expect(noOptions.json().errors[0]).toMatchObject({ field: 'questions.0.options', rule: 'required' });
    expect((await t.post('/api/surveys', { ...body, audience: { all: true }, questions: [{ kind: 'essay', prompt: '？', required: true }] }, dept)).statusCode).toBe(400);
    expect((await t.post('/api/surveys', { ...body, audience: { all: true }, questions: [] }, dept)).statusCode).toBe(400);
  });

  it('answers anonymously once, stores no link to the person, and reports counts without breaking down small groups', async () => {
    const bigUnit = await makeUnit(t.dataSource);
    const smallUnit = await makeUnit(t.dataSource);
    const big = await secretaries(bigUnit.id, 5);
    const small = await secretaries(smallUnit.id, 2);
    const outsider = (await secretaries((await makeUnit(t.dataSource)).id, 1))[0];
    // Aimed at all secretaries: the test database holds others too, so results are read for this survey only.
    const survey = (await t.post('/api/surveys', { title: '支部工作调研', anonymous: true, audience: { all: true }, ...window(), questions: QUESTIONS }, dept)).json();
    expect((await t.get('/api/surveys', big[0].token)).json().items.map((s: { id: string }) => s.id)).toContain(survey.id);

    const people = [...big, ...small];
    for (const [i, person] of people.entries()) {
      const answered = await t.post(`/api/surveys/${survey.id}/responses`, { answers: [i % 2, i % 2 ? [0, 2] : [], 5 - (i % 3), i === 0 ? '希望增加案例' : null] }, person.token);
      expect(answered.statusCode).toBe(201);
    }
    const again = await t.post(`/api/surveys/${survey.id}/responses`, { answers: [0, [], 3, null] }, big[0].token);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SURVEY_ALREADY_ANSWERED');
    // Answered, and nothing of the answer comes back: an anonymous answer cannot be found from its author.
    expect((await t.get(`/api/surveys/${survey.id}`, big[0].token)).json()).toMatchObject({ answered: true, myAnswers: null });

    // Bad answers are 400 and write nothing.
    for (const answers of [[0, [], 3], [7, [], 3, null], [0, [0, 0], 3, null], [0, [], 9, null], [null, [], 3, null], [0, [], 3, 42]]) {
      expect((await t.post(`/api/surveys/${survey.id}/responses`, { answers }, outsider.token)).statusCode).toBe(400);
    }

    // The database: respondents are (survey, user) pairs with nothing else; answers have no user, only a day.
    const respondentColumns = (await t.dataSource.query('SHOW COLUMNS FROM survey_respondents')).map((c: { Field: string }) => c.Field);
    expect(respondentColumns.sort()).toEqual(['survey_id', 'user_id']);
    const answerColumns = await t.dataSource.query('SHOW COLUMNS FROM survey_answers');
    expect(answerColumns.filter((c: { Type: string }) => /datetime|timestamp/i.test(c.Type))).toEqual([]);
    const rows: { id: string; user_id: string | null; answers: unknown }[] = await t.dataSource.query('SELECT id, user_id, answers FROM survey_answers WHERE survey_id = ?', [survey.id]);
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r.user_id === null && /^[0-9a-f]{32}$/.test(r.id))).toBe(true);
    const userIds = people.map((p) => p.user.id);
    expect(rows.some((r) => userIds.some((id) => JSON.stringify(r).includes(`"${id}"`)))).toBe(false);

    // Results: the author and the department only.
    expect((await t.get(`/api/surveys/${survey.id}/results`, big[0].token)).statusCode).toBe(403);
    const results = (await t.get(`/api/surveys/${survey.id}/results`, dept)).json();
    expect(results.responses).toBe(7);
    expect(results.questions[0]).toMatchObject({ answered: 7, counts: [4, 3, 0] });
    expect(results.questions[1]).toMatchObject({ answered: 3, counts: [3, 0, 3] });
    expect(results.questions[2].counts.reduce((a: number, b: number) => a + b, 0)).toBe(7);
    expect(results.questions[3].texts).toEqual(['希望增加案例']);
    expect(results.byUnit).toEqual([expect.objectContaining({ unitId: bigUnit.id, responses: 5 })]);
    expect(results.notBrokenDown).toBe(2);

    const file = await t.get(`/api/surveys/${survey.id}/results?format=xlsx`, dept);
    expect(file.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as never);
    const sheet = book.getWorksheet('统计')!;
    expect(sheet.getRow(2).values).toEqual([undefined, '答卷数', 7]);
    expect(sheet.getRow(4).values).toEqual([undefined, 1, '单选', '本期培训总体满意度', '满意', 4]);
    expect(book.getWorksheet('简答')!.getRow(2).values).toEqual([undefined, 4, '意见和建议', '希望增加案例']);
  });

  it('named surveys are answered by the addressed only, while open, and a second answer replaces the first', async () => {
    const course = await taughtCourse(t, '具名问卷班');
    const learner = await enrolledLearner(t, course.adminToken, course.courseId);
    const stranger = (await secretaries((await makeUnit(t.dataSource)).id, 1))[0];
    const survey = (
      await t.post('/api/surveys', { title: '具名评估', anonymous: false, audience: { courseId: course.courseId }, ...window(), questions: QUESTIONS }, course.instructorToken)
    ).json();
    expect((await t.get(`/api/surveys/${survey.id}`, stranger.token)).statusCode).toBe(404);
    expect((await t.post(`/api/surveys/${survey.id}/responses`, { answers: [0, [], 4, null] }, stranger.token)).statusCode).toBe(404);
    expect((await t.post(`/api/surveys/${survey.id}/responses`, { answers: [0, [], 4, null] }, learner.token)).json()).toEqual({ surveyId: survey.id, replaced: false, late: false });
    expect((await t.post(`/api/surveys/${survey.id}/responses`, { answers: [2, [1], 1, '改了'] }, learner.token)).json()).toEqual({ surveyId: survey.id, replaced: true, late: false });
    // The learner reads their own named answer back, to change it; others do not get it.
    expect((await t.get(`/api/surveys/${survey.id}`, learner.token)).json()).toMatchObject({ answered: true, myAnswers: [2, [1], 1, '改了'] });
    expect((await t.get(`/api/surveys/${survey.id}`, course.instructorToken)).json()).toMatchObject({ answered: false, myAnswers: null });
    const stored = await t.dataSource.query('SELECT user_id FROM survey_answers WHERE survey_id = ?', [survey.id]);
    expect(stored).toEqual([{ user_id: learner.user.id }]);
    const results = (await t.get(`/api/surveys/${survey.id}/results`, course.instructorToken)).json();
    expect(results.questions[0].counts).toEqual([0, 0, 1]);
    expect(results.questions[3].texts).toEqual(['改了']);

    const closed = (
      await t.post(
        '/api/surveys',
        { title: '已结束', anonymous: false, audience: { courseId: course.courseId }, opensAt: new Date(Date.now() - 2 * HOUR).toISOString(), closesAt: new Date(Date.now() - HOUR).toISOString(), questions: QUESTIONS },
        dept,
      )
    ).json();
    const late = await t.post(`/api/surveys/${closed.id}/responses`, { answers: [0, [], 4, null] }, learner.token);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('SURVEY_CLOSED');
  });

  it('the same person posting twice at once to an anonymous survey gets exactly one 201', async () => {
    const unit = await makeUnit(t.dataSource);
    const [person] = await secretaries(unit.id, 1);
    const survey = (await t.post('/api/surveys', { title: '并发', anonymous: true, audience: { unitId: unit.id }, ...window(), questions: QUESTIONS }, dept)).json();
    const statuses = (
      await Promise.all([0, 1, 2].map(() => t.post(`/api/surveys/${survey.id}/responses`, { answers: [0, [], 3, null] }, person.token)))
    ).map((r) => r.statusCode);
    expect(statuses.sort()).toEqual([201, 409, 409]);
    expect(await t.dataSource.query('SELECT COUNT(*) AS n FROM survey_answers WHERE survey_id = ?', [survey.id])).toEqual([{ n: '1' }]);
  });

  describe('a questionnaire required before the certificate (结业前必答)', () => {
    /** Compiles the course's certificates as the department does, and waits for the run to finish. */
    async function compile(courseId: string): Promise<{ state: string; issued: number; total: number }> {
      const { jobId } = expectStatus(await t.post(`/api/courses/${courseId}/certificates/compile`, {}, dept), 202, 'compile').json();
      return eventually(
        async () => (await t.get(`/api/courses/${courseId}/certificates/compile/${jobId}`, dept)).json(),
        (p) => p.state === 'done' || p.state === 'failed',
        25_000,
      );
    }
    const holders = async (courseId: string) =>
      (await t.dataSource.query('SELECT user_id FROM certificates WHERE course_id = ? ORDER BY user_id', [courseId])).map((r: { user_id: string }) => String(r.user_id));
    const todo = async (token: string) => expectStatus(await t.get('/api/me/todo', token), 200, 'todo').json();

    it('is set only on a course survey, at most one per course, by the department or the course’s instructor', async () => {
      const course = await taughtCourse(t, '必答设置班');
      const body = { title: '培训评估', anonymous: true, ...window(), questions: QUESTIONS, requiredForCertificate: true };
      const onUnit = await t.post('/api/surveys', { ...body, audience: { unitId: (await makeUnit(t.dataSource)).id } }, dept);
      expect(onUnit.statusCode).toBe(400);
      expect(onUnit.json().errors[0]).toMatchObject({ field: 'requiredForCertificate', rule: 'notApplicable' });
      expect((await t.post('/api/surveys', { ...body, audience: { courseId: course.courseId }, requiredForCertificate: 'yes' }, dept)).statusCode).toBe(400);

      const first = await t.post('/api/surveys', { ...body, audience: { courseId: course.courseId } }, course.instructorToken);
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ requiredForCertificate: true, answerable: false });
      const second = await t.post('/api/surveys', { ...body, audience: { courseId: course.courseId } }, dept);
      expect(second.statusCode).toBe(409);
      expect(second.json().code).toBe('SURVEY_REQUIRED_EXISTS');
      // Two at once: the unique key lets exactly one through.
      const other = await taughtCourse(t, '必答并发班');
      const racing = await Promise.all([0, 1, 2].map(() => t.post('/api/surveys', { ...body, audience: { courseId: other.courseId } }, dept)));
      expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
      // An ordinary questionnaire of the same course is still allowed.
      expect((await t.post('/api/surveys', { ...body, requiredForCertificate: false, audience: { courseId: course.courseId } }, dept)).json()).toMatchObject({ requiredForCertificate: false });
    });

    it('holds back the certificate of a learner who completed but did not answer; after answering, a rerun issues one, never twice', async () => {
      const unit = await makeUnit(t.dataSource);
      const branch = await makeBranch(t.dataSource, unit);
      const [answered, silent, behind] = await Promise.all([0, 1, 2].map(() => makeUser(t.dataSource, { branch })));
      const tokens = { answered: await t.login(answered.username), silent: await t.login(silent.username), behind: await t.login(behind.username) };
      const course = await buildCourse(t, dept, { learnerIds: [answered.id, silent.id, behind.id] });
      await markCompleted(t.dataSource, course.id, [answered.id, silent.id]);
      // Anonymous: who answered is known (for the certificate), what they answered is not.
      const survey = expectStatus(
        await t.post('/api/surveys', { title: '培训效果评估', anonymous: true, audience: { courseId: course.id }, ...window(), questions: QUESTIONS, requiredForCertificate: true }, dept),
        201,
        'required survey',
      ).json();

      // The learner's home names the questionnaire as still to do, on the course card and in the list.
      const before = await todo(tokens.silent);
      expect(before.courses.find((c: { id: string }) => c.id === course.id).questionnaire).toMatchObject({ surveyId: survey.id, title: '培训效果评估', answered: false });
      expect(before.questionnaires).toEqual([expect.objectContaining({ surveyId: survey.id, courseId: course.id, courseTitle: course.title, late: false })]);
      expect((await t.get(`/api/surveys/${survey.id}`, tokens.silent)).json()).toMatchObject({ requiredForCertificate: true, answerable: true, answered: false });
      expect((await t.get(`/api/courses/${course.id}/progress`, tokens.silent)).json()).toMatchObject({ completed: true, questionnaire: { surveyId: survey.id, answered: false } });

      expectStatus(await t.post(`/api/surveys/${survey.id}/responses`, { answers: [0, [1], 5, '很好'] }, tokens.answered), 201, 'answer');
      const after = await todo(tokens.answered);
      expect(after.questionnaires).toEqual([]);
      expect(after.courses.find((c: { id: string }) => c.id === course.id).questionnaire).toMatchObject({ answered: true });
      expect((await t.get(`/api/courses/${course.id}/progress`, tokens.answered)).json().questionnaire).toMatchObject({ surveyId: survey.id, answered: true });

      expect((await t.get(`/api/courses/${course.id}/close-preview`, dept)).json()).toEqual({
        status: 'published',
        learners: 3,
        completed: 2,
        willBeCertified: 1,
        alreadyCertified: 0,
        awaitingQuestionnaire: 1,
      });
      expectStatus(await t.post(`/api/courses/${course.id}/close`, {}, dept), 200, 'close');
      const closing = await eventually(
        async () => (await t.dataSource.query(`SELECT state, issued, total FROM certificate_batches WHERE course_id = ? AND origin = 'close'`, [course.id]))[0],
        (batch) => batch?.state === 'done',
        25_000,
      );
      expect(closing).toMatchObject({ state: 'done', issued: 1, total: 1 });
      expect(await holders(course.id)).toEqual([answered.id]);
      // The closed course still waits for the silent learner's answer; the one behind has nothing to answer for.
      expect((await todo(tokens.silent)).questionnaires.map((q: { surveyId: string }) => q.surveyId)).toEqual([survey.id]);
      expect((await todo(tokens.behind)).questionnaires).toEqual([]);

      // A rerun before the answer issues nothing.
      expect(await compile(course.id)).toMatchObject({ state: 'done', issued: 0 });
      expect(await holders(course.id)).toEqual([answered.id]);

      expectStatus(await t.post(`/api/surveys/${survey.id}/responses`, { answers: [1, [], 3, null] }, tokens.silent), 201, 'late answer');
      expect((await t.get(`/api/courses/${course.id}/close-preview`, dept)).json()).toMatchObject({ completed: 2, willBeCertified: 1, alreadyCertified: 1, awaitingQuestionnaire: 0 });
      expect(await compile(course.id)).toMatchObject({ state: 'done', issued: 1, total: 2 });
      expect(await compile(course.id)).toMatchObject({ state: 'done', issued: 0, total: 2 });
      expect(await holders(course.id)).toEqual([answered.id, silent.id].sort((a, b) => a.length - b.length || (a < b ? -1 : 1)));
      expect((await t.get('/api/me/certificates', tokens.silent)).json().items).toHaveLength(1);
      expect((await todo(tokens.silent)).questionnaires).toEqual([]);

      // Still anonymous: no answer row names anyone.
      const rows = await t.dataSource.query('SELECT user_id FROM survey_answers WHERE survey_id = ?', [survey.id]);
      expect(rows).toEqual([{ user_id: null }, { user_id: null }]);
    });

    it('after closing, takes a first answer to a required questionnaire (late) but no change, and nothing for other surveys', async () => {
      const user = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) });
      const learner = { user, token: await t.login(user.username) };
      const course = { courseId: (await buildCourse(t, dept, { learnerIds: [user.id] })).id };
      const past = { opensAt: new Date(Date.now() - 2 * HOUR).toISOString(), closesAt: new Date(Date.now() - HOUR).toISOString() };
      const required = (
        await t.post('/api/surveys', { title: '已截止的必答问卷', anonymous: false, audience: { courseId: course.courseId }, ...past, questions: QUESTIONS, requiredForCertificate: true }, dept)
      ).json();
      const ordinary = (await t.post('/api/surveys', { title: '已截止的普通问卷', anonymous: false, audience: { courseId: course.courseId }, ...past, questions: QUESTIONS }, dept)).json();
      expect((await t.get(`/api/surveys/${required.id}`, learner.token)).json()).toMatchObject({ open: false, answerable: true });
      expect((await t.get(`/api/surveys/${ordinary.id}`, learner.token)).json()).toMatchObject({ open: false, answerable: false });
      expect((await todo(learner.token)).questionnaires).toEqual([expect.objectContaining({ surveyId: required.id, late: true })]);

      expect((await t.post(`/api/surveys/${ordinary.id}/responses`, { answers: [0, [], 4, null] }, learner.token)).json().code).toBe('SURVEY_CLOSED');
      expect((await t.post(`/api/surveys/${required.id}/responses`, { answers: [0, [], 4, null] }, learner.token)).json()).toEqual({ surveyId: required.id, replaced: false, late: true });
      const change = await t.post(`/api/surveys/${required.id}/responses`, { answers: [1, [], 2, null] }, learner.token);
      expect(change.statusCode).toBe(409);
      expect(change.json().code).toBe('SURVEY_CLOSED');
      const stored: { answers: unknown }[] = await t.dataSource.query('SELECT answers FROM survey_answers WHERE survey_id = ?', [required.id]);
      expect(stored.map((r) => (typeof r.answers === 'string' ? JSON.parse(r.answers) : r.answers))).toEqual([[0, null, 4, null]]);
      expect((await t.get(`/api/surveys/${required.id}`, learner.token)).json()).toMatchObject({ answered: true, answerable: false });

      // A late anonymous answer is dated to the closing day, not to the day it came (which would single it out).
      const closedAt = new Date(Date.now() - 3 * 24 * HOUR);
      const other = (await buildCourse(t, dept, { learnerIds: [user.id] })).id;
      const anonymous = (
        await t.post(
          '/api/surveys',
          { title: '匿名必答', anonymous: true, audience: { courseId: other }, opensAt: new Date(closedAt.getTime() - 7 * 24 * HOUR).toISOString(), closesAt: closedAt.toISOString(), questions: QUESTIONS, requiredForCertificate: true },
          dept,
        )
      ).json();
      expect((await t.post(`/api/surveys/${anonymous.id}/responses`, { answers: [2, [], 3, null] }, learner.token)).json()).toMatchObject({ late: true });
      const [row] = await t.dataSource.query(`SELECT user_id, DATE_FORMAT(answered_on, '%Y-%m-%d') AS day FROM survey_answers WHERE survey_id = ?`, [anonymous.id]);
      const closingDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date(closedAt.getTime() - 1));
      expect(row).toEqual({ user_id: null, day: closingDay });
    });
  });
});
