import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { Response } from 'light-my-request';
import { AssessmentRoundsService } from '../../src/assessments/assessment-rounds.service';
import { CertificateBatch } from '../../src/certificates/certificate-batch.entity';
import { CertificateCompiler } from '../../src/certificates/certificate-compiler.service';
import { Certificate } from '../../src/certificates/certificate.entity';
import { Branch } from '../../src/org/branch.entity';
import { Unit } from '../../src/org/unit.entity';
import { SessionsService } from '../../src/sessions/sessions.service';
import { User } from '../../src/users/user.entity';
import { markCompleted } from '../factories/certificate.factory';
import { makeMembers, pngImage } from '../factories/handbook.factory';
import { buildCourse, BuiltCourse, enrol } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageDriver } from '../../src/storage/storage';
import { VideoFile } from '../../src/videos/video-file.entity';
import { Caller, CALLERS, POLICY, PolicyRow, Target } from './access-policy';

const REFLECTION = '担任支部书记一年来，我最大的体会是要把支部工作和业务工作结合起来，组织生活要有实际内容，党员要有真实收获，支部才有凝聚力。';
/** Two indicators: one counted, one scored by hand (so publishing the matrix round waits for manual scores). */
const ASSESSMENT_SCHEME = {
  indicators: [
    { key: 'compliance', name: '组织生活达标', weight: 60, source: 'auto', measure: 'handbook.compliance' },
    { key: 'quality', name: '记录质量', weight: 40, source: 'manual' },
  ],
  bands: [
    { grade: 'excellent', min: 90 },
    { grade: 'good', min: 75 },
    { grade: 'fair', min: 60 },
    { grade: 'poor', min: 0 },
  ],
};
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** Every route the running app registered, as `METHOD /api/path`, from Nest's own controller metadata. */
function registeredRoutes(t: TestApp): string[] {
  const routes = new Set<string>();
  const join = (...parts: string[]) => '/' + ['api', ...parts].join('/').split('/').filter(Boolean).join('/');
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (Function & { prototype: Record<string, unknown> }) | null;
      if (!controller) continue;
      const bases = [Reflect.getMetadata(PATH_METADATA, controller) ?? ''].flat() as string[];
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        const method = typeof handler === 'function' ? (Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined) : undefined;
        if (method === undefined) continue;
        for (const base of bases) {
          for (const path of [Reflect.getMetadata(PATH_METADATA, handler) ?? ''].flat() as string[]) routes.add(`${RequestMethod[method]} ${join(base, path)}`);
        }
      }
    }
  }
  return [...routes].sort();
}

interface World {
  tokens: Record<Exclude<Caller, 'anonymous'>, string>;
  users: Record<'learnerA' | 'learnerB' | 'personOfUnitB' | 'adminOfUnitB' | 'spareInstructor' | 'courseInstructor', User>;
  unitB: Unit;
  branchB: Branch;
  course: BuiltCourse;
  reflectionOfUnitB: string;
  attemptOfUnitB: string;
  threadOfUnitB: string;
  postOfUnitB: string;
  attachment: string;
  question: string;
  notificationOfUnitB: string;
  calendarFeedOfUnitB: string;
  certificateOfUnitB: Certificate;
  certificateToRevoke: Certificate;
  compileJob: string;
  reminderRun: string;
  suggestionOfUnitB: string;
  anonymousSuggestionOfUnitB: string;
  surveyOfCourse: string;
  memberOfBranchB: string;
  recordOfBranchB: string;
  photoOfRecordB: string;
  caseOfBranchB: string;
  assessmentRound: string;
  photoOfCaseB: string;
}

describe('access matrix: every route × role × ownership, against docs/API.md "Who may do what" (e2e)', () => {
  let t: TestApp;
  let w: World;
  /** Years of branch B's plans made for one row each (fresh plans). */
  let nextPlanYear = 2031;
  /** Objects made for the callers a row refuses: they must stay untouched, so one serves them all. */
  const sharedFresh = new Map<string, Record<string, string>>();

  const dept = () => w.tokens.department;
  const ok = (response: Response, what: string) => {
    if (response.statusCode >= 300) throw new Error(`${what}: ${response.statusCode} ${response.body}`);
    return response.json();
  };

  beforeAll(async () => {
    t = await createTestApp();
    const unitA = await makeUnit(t.dataSource);
    const unitB = await makeUnit(t.dataSource);
    const branchA = await makeBranch(t.dataSource, unitA);
    const branchB = await makeBranch(t.dataSource, unitB);
    const department = await makeUser(t.dataSource, { role: 'admin' });
    const unitAdminA = await makeUser(t.dataSource, { role: 'admin', unitId: unitA.id });
    const unitAdminB = await makeUser(t.dataSource, { role: 'admin', unitId: unitB.id });
    const courseInstructor = await makeUser(t.dataSource, { role: 'instructor' });
    const otherInstructor = await makeUser(t.dataSource, { role: 'instructor' });
    const secretaryA = await makeUser(t.dataSource, { branch: branchA });
    const secretaryB = await makeUser(t.dataSource, { branch: branchB });
    const learnerA = await makeUser(t.dataSource, { branch: branchA });
    const learnerB = await makeUser(t.dataSource, { branch: branchB });
    const personOfUnitB = await makeUser(t.dataSource, { branch: branchB });
    const adminOfUnitB = await makeUser(t.dataSource, { role: 'admin', unitId: unitB.id });
    const spareInstructor = await makeUser(t.dataSource, { role: 'instructor' });
    const tokens = {} as World['tokens'];
    const signedIn = { department, unitAdminA, unitAdminB, courseInstructor, otherInstructor, secretaryA, secretaryB };
    for (const [caller, user] of Object.entries(signedIn)) tokens[caller as keyof World['tokens']] = await t.login(user.username);
    const learnerBToken = await t.login(learnerB.username);
    const learnerAToken = await t.login(learnerA.username);

    // Course C: running, its session under way now (check-in works), taught by T, learners of both units.
    const now = Date.now();
    const course = await buildCourse(t, tokens.department, {
      session: { startsAt: new Date(now - 10 * 60_000).toISOString(), endsAt: new Date(now + 3 * 3600_000).toISOString() },
      learnerIds: [secretaryA.id, secretaryB.id, learnerA.id, learnerB.id],
    });
    ok(await t.post(`/api/courses/${course.id}/instructors`, { userIds: [courseInstructor.id] }, tokens.department), 'add T');

    const reflectionOfUnitB = ok(await t.post(`/api/activities/${course.reading.id}/reflections`, { body: REFLECTION }, learnerBToken), 'reflection').id;
    const attemptOfUnitB = ok(await t.post(`/api/activities/${course.quiz.id}/attempts`, {}, learnerBToken), 'attempt').id;
    const threadOfUnitB = ok(await t.post(`/api/activities/${course.discussion.id}/threads`, { title: '如何开好组织生活会', body: '请大家交流经验。' }, learnerBToken), 'thread').id;
    const postOfUnitB = ok(await t.post(`/api/threads/${threadOfUnitB}/posts`, { body: '我们支部每月一次。' }, learnerBToken), 'post').id;
    ok(await t.put(`/api/activities/${course.session.id}/attendance`, { userIds: [learnerB.id], present: true }, tokens.department), 'attendance');
    ok(await t.post(`/api/activities/${course.session.id}/checkin/open`, { open: true }, tokens.department), 'open check-in');
    // The video lesson's stand-in (see buildCourse) gets real bytes, so streaming it can answer.
    const video = await t.dataSource.getRepository(VideoFile).findOneByOrFail({ activityId: course.video.id });
    const bytes = join(await mkdtemp(join(tmpdir(), 'matrix-')), 'v.mp4');
    await writeFile(bytes, Buffer.alloc(4096, 1));
    await t.app.get(StorageDriver).putFile(video.storageKey, bytes, 'video/mp4');
    await t.dataSource.getRepository(VideoFile).update({ id: video.id }, { sizeBytes: 4096 });
    const attachment = ok(await upload(course.reading.id, tokens.department), 'attachment').id;
    const question = ok(await t.post(`/api/courses/${course.id}/questions`, { key: uniq('q'), kind: 'truefalse', prompt: '三会一课是基本制度。', answer: true }, tokens.department), 'question').id;
    const suggestionOfUnitB = ok(await t.post('/api/suggestions', { title: '建议增加案例教学', body: '多安排案例讨论。' }, learnerBToken), 'suggestion').id;
    const anonymousSuggestionOfUnitB = ok(await t.post('/api/suggestions', { title: '匿名建议', body: '培训时间能否调整？', anonymous: true }, learnerBToken), 'anonymous').id;
    const surveyOfCourse = ok(await t.post('/api/surveys', surveyBody(course.id), tokens.courseInstructor), 'survey').id;
    const answered = ok(await t.post('/api/suggestions', { title: '关于教材', body: '希望提供电子版。' }, learnerBToken), 'answered').id;
    ok(await t.post(`/api/suggestions/${answered}/reply`, { body: '已提供。' }, tokens.department), 'reply');
    const notificationOfUnitB = ok(await t.get('/api/me/notifications', learnerBToken), 'notifications').items[0].id;
    const calendarFeedOfUnitB = (ok(await t.post('/api/me/calendar-feed', {}, learnerBToken), 'feed').url as string).split('/api/calendar/')[1];

    // Certificates for learners A and B, compiled in-process from live progress.
    await markCompleted(t.dataSource, course.id, [learnerA.id, learnerB.id]);
    const compileJob = ok(await t.post(`/api/courses/${course.id}/certificates/compile?force=true`, {}, tokens.department), 'compile').jobId;
    const batch = await t.dataSource.getRepository(CertificateBatch).findOneByOrFail({ jobId: compileJob });
    await t.app.get(CertificateCompiler).run({ courseId: course.id, batchId: batch.id });
    const certificates = t.dataSource.getRepository(Certificate);
    const reminderRun = ok(await t.post(`/api/courses/${course.id}/reminders/run`, {}, tokens.department), 'reminders run').jobId;
    // Branch B's own work, kept by secretaryB: a member on its list, and a draft record with a photo in its handbook.
    const memberOfBranchB = ok(await t.post(`/api/branches/${branchB.id}/members`, { name: '王芳' }, tokens.secretaryB), 'member').id as string;
    const recordOfBranchB = ok(await t.post(`/api/branches/${branchB.id}/records`, recordBody(memberOfBranchB), tokens.secretaryB), 'record').id;
    const photoOfRecordB = ok(await uploadPhoto(recordOfBranchB, tokens.secretaryB), 'photo').id;
    const caseOfBranchB = ok(await t.post('/api/cases', caseBody(), tokens.secretaryB), 'case').id;
    // An assessment round of 2098, counted in this process (no worker here) and left unpublished.
    ok(await t.put('/api/assessments/schemes/2098', ASSESSMENT_SCHEME, tokens.department), 'scheme');
    const assessmentRound = ok(await t.post('/api/assessments/rounds', { year: 2098, schemeYear: 2098 }, tokens.department), 'round').id as string;
    const rounds = t.app.get(AssessmentRoundsService);
    await rounds.plan({ roundId: assessmentRound, attempt: 0 });
    for (let chunk = 0; (await t.get(`/api/assessments/rounds/${assessmentRound}`, tokens.department)).json().state === 'computing'; chunk++) {
      await rounds.countChunk({ roundId: assessmentRound, attempt: 0, chunk });
    }
    const photoOfCaseB = ok(await uploadCasePhoto(caseOfBranchB, tokens.secretaryB), 'case photo').id;

    w = {
      tokens,
      users: { learnerA, learnerB, personOfUnitB, adminOfUnitB, spareInstructor, courseInstructor },
      unitB,
      branchB,
      course,
      reflectionOfUnitB,
      attemptOfUnitB,
      threadOfUnitB,
      postOfUnitB,
      attachment,
      question,
      notificationOfUnitB,
      calendarFeedOfUnitB,
      certificateOfUnitB: await certificates.findOneByOrFail({ courseId: course.id, userId: learnerB.id }),
      certificateToRevoke: await certificates.findOneByOrFail({ courseId: course.id, userId: learnerA.id }),
      compileJob,
      reminderRun,
      suggestionOfUnitB,
      anonymousSuggestionOfUnitB,
      surveyOfCourse,
      memberOfBranchB,
      recordOfBranchB,
      photoOfRecordB,
      caseOfBranchB,
      assessmentRound,
      photoOfCaseB,
    };
    void learnerAToken;
  }, 120_000);
  afterAll(async () => {
    // The norms saved for 2099 would be where later files' untouched years start from.
    await t.dataSource.query('DELETE FROM norm_versions WHERE year = 2099');
    await t.close();
  });

  function upload(activityId: string, token: string) {
    return t.request({ method: 'POST', url: `/api/activities/${activityId}/attachments`, token, ...multipartFile('file', '支部工作条例.pdf', PDF, 'application/pdf') });
  }

  function uploadPhoto(recordId: string, token: string) {
    return t.request({ method: 'POST', url: `/api/records/${recordId}/attachments`, token, ...multipartFile('file', '合影.png', pngImage(), 'image/png') });
  }

  function uploadCasePhoto(caseId: string, token: string) {
    return t.request({ method: 'POST', url: `/api/cases/${caseId}/files`, token, ...multipartFile('file', '合影.png', pngImage(), 'image/png') });
  }

  /** A record of an activity no norm names (nothing required to submit it), attended by `memberId`. */
  function recordBody(memberId: string) {
    return { kind: 'other', title: `支部活动${uniq()}`, heldAt: '2026-05-04T15:00:00+08:00', place: '会议室', attendance: { present: [memberId], absent: [] }, minutes: '学习讨论。' };
  }

  /** A new record of branch B, moved on as far as `until`. */
  async function recordOfBranchB(until: 'draft' | 'submitted' | 'accepted'): Promise<string> {
    const secretary = w.tokens.secretaryB;
    const id = ok(await t.post(`/api/branches/${w.branchB.id}/records`, recordBody(w.memberOfBranchB), secretary), 'record').id as string;
    if (until !== 'draft') ok(await t.post(`/api/records/${id}/submit`, {}, secretary), 'submit');
    if (until === 'accepted') ok(await t.post(`/api/records/${id}/review`, { decision: 'accept' }, dept()), 'accept');
    return id;
  }

  /** The path parameters of a target; `fresh…` targets are built anew for each allowed caller. */
  async function params(target: Target, allowed: boolean): Promise<Record<string, string>> {
    const fresh = async (make: () => Promise<Record<string, string>>) => {
      if (allowed) return make();
      if (!sharedFresh.has(target)) sharedFresh.set(target, await make());
      return sharedFresh.get(target)!;
    };
    const c = w.course;
    switch (target) {
      case 'none':
        return {};
      case 'course':
        return { id: c.id };
      case 'freshPublishedCourse':
        return fresh(async () => {
          const made = ok(await t.post('/api/courses', courseBody(), dept()), 'course');
          const section = ok(await t.post(`/api/courses/${made.id}/sections`, { title: '一' }, dept()), 'section');
          ok(await t.post(`/api/courses/${made.id}/activities`, { ...activityBody(), sectionId: section.id }, dept()), 'activity');
          ok(await t.post(`/api/courses/${made.id}/publish`, {}, dept()), 'publish');
          return { id: made.id };
        });
      case 'section':
        return { id: c.sectionId };
      case 'freshSection':
        return fresh(async () => ({ id: ok(await t.post(`/api/courses/${c.id}/sections`, { title: `临时${uniq()}` }, dept()), 'section').id }));
      case 'videoActivity':
        return { id: c.video.id, index: '0' };
      case 'readingActivity':
        return { id: c.reading.id };
      case 'quizActivity':
        return { id: c.quiz.id };
      case 'discussionActivity':
        return { id: c.discussion.id };
      case 'sessionActivity':
        return { id: c.session.id };
      case 'freshActivity':
        return fresh(async () => ({ id: ok(await t.post(`/api/courses/${c.id}/activities`, activityBody(), dept()), 'activity').id }));
      case 'spareInstructor':
        return { id: c.id, userId: w.users.spareInstructor.id };
      case 'unitB':
        return { id: w.unitB.id };
      case 'branchB':
        return { id: w.branchB.id };
      case 'learnerOfUnitB':
        return { id: w.users.learnerB.id };
      case 'personOfUnitB':
        return { id: w.users.personOfUnitB.id };
      case 'adminOfUnitB':
        return { id: w.users.adminOfUnitB.id };
      case 'attendanceOfUnitB':
        return { id: c.session.id, userId: w.users.learnerB.id };
      case 'freshEnrolmentOfUnitB':
        return fresh(async () => {
          const learner = await makeUser(t.dataSource, { branch: w.branchB });
          await enrol(t, dept(), c.id, [learner.id]);
          return { id: c.id, userId: learner.id };
        });
      case 'freshAttachment':
        return fresh(async () => ({ id: ok(await upload(c.reading.id, dept()), 'attachment').id }));
      case 'branchBYear':
        return { id: w.branchB.id, year: '2026' };
      case 'freshRecordOfBranchB':
        return fresh(async () => ({ id: await recordOfBranchB('draft') }));
      case 'freshSubmittedRecordOfBranchB':
        return fresh(async () => ({ id: await recordOfBranchB('submitted') }));
      case 'freshAcceptedRecordOfBranchB':
        return fresh(async () => ({ id: await recordOfBranchB('accepted') }));
      case 'photoOfRecordB':
        return { id: w.recordOfBranchB, attachmentId: w.photoOfRecordB };
      case 'freshPhotoOfRecordB':
        return fresh(async () => {
          const id = await recordOfBranchB('draft');
          return { id, attachmentId: ok(await uploadPhoto(id, w.tokens.secretaryB), 'photo').id };
        });
      case 'freshCaseOfBranchB':
        return fresh(async () => ({ id: ok(await t.post('/api/cases', caseBody(), w.tokens.secretaryB), 'case').id }));
      case 'photoOfCaseB':
        return { id: w.caseOfBranchB, fileId: w.photoOfCaseB };
      case 'freshPhotoOfCaseB':
        return fresh(async () => {
          const id = ok(await t.post('/api/cases', caseBody(), w.tokens.secretaryB), 'case').id as string;
          return { id, fileId: ok(await uploadCasePhoto(id, w.tokens.secretaryB), 'case photo').id };
        });
      case 'certificateOfUnitB':
        return { id: w.certificateOfUnitB.id };
      case 'certificateToRevoke':
        return { id: w.certificateToRevoke.id };
      case 'compileJob':
        return { id: c.id, jobId: w.compileJob };
      case 'reminderRun':
        return { id: c.id, jobId: w.reminderRun };
      case 'verificationCode':
        return { code: w.certificateOfUnitB.verificationCode };
      case 'calendarFeedOfUnitB':
        return { token: w.calendarFeedOfUnitB };
      case 'normsYear':
        return { year: '2099' };
      case 'assessmentYear':
        return { year: '2098' };
      case 'assessmentRoundBranchB':
        return { id: w.assessmentRound, branchId: w.branchB.id };
      case 'freshAssessmentAdjustment':
        return fresh(async () => ({
          id: w.assessmentRound,
          adjustmentId: ok(await t.post(`/api/assessments/rounds/${w.assessmentRound}/branches/${w.branchB.id}/adjustments`, { key: 'compliance', score: 95, reason: '补录记录' }, w.tokens.unitAdminB), 'adjustment').id,
        }));
      case 'memberOfBranchB':
        return { id: w.branchB.id, memberId: w.memberOfBranchB };
      case 'freshMemberOfBranchB':
        return fresh(async () => ({ id: w.branchB.id, memberId: ok(await t.post(`/api/branches/${w.branchB.id}/members`, { name: `党员${uniq()}` }, w.tokens.secretaryB), 'member').id }));
      case 'planOfBranchB':
        return { id: w.branchB.id, year: '2030' };
      case 'freshPlanOfBranchB':
        // A plan is one per branch and year: each allowed caller gets a year of its own.
        return fresh(async () => ({ id: w.branchB.id, year: String(nextPlanYear++) }));
      case 'freshSubmittedPlanOfBranchB':
        return fresh(async () => {
          const year = String(nextPlanYear++);
          ok(await t.post(`/api/branches/${w.branchB.id}/plans/${year}/submit`, {}, w.tokens.secretaryB), 'submit plan');
          return { id: w.branchB.id, year };
        });
      default:
        return { id: w[target] };
    }
  }

  const caseBody = () => ({ title: `支部经验${uniq()}`, body: '轮值主持组织生活。', tags: ['组织生活'] });
  const courseBody = () => ({ title: `临时培训班${uniq()}`, startsAt: new Date(Date.now() - 86400e3).toISOString(), endsAt: new Date(Date.now() + 30 * 86400e3).toISOString() });
  const activityBody = () => ({ type: 'discussion', sectionId: w.course.sectionId, title: `临时研讨${uniq()}`, required: false, creditHours: 0.5, prompt: '谈谈体会。' });

  /** Bodies built at request time (unique names, the current check-in code, ids from the world). */
  function body(row: PolicyRow): { payload?: unknown; headers?: Record<string, string> } {
    if (typeof row.body !== 'string') return { payload: row.body };
    const name = uniq();
    const built: Record<string, () => unknown> = {
      case: () => caseBody(),
      login: () => ({ username: w.users.personOfUnitB.username, password: TEST_PASSWORD }),
      unit: () => ({ name: `新建党委${name}`, code: `N${name}` }),
      rename: () => ({ name: `更名${name}` }),
      title: () => ({ title: `标题${name}` }),
      branchInUnitB: () => ({ unitId: w.unitB.id, name: `新支部${name}`, code: `NB${name}` }),
      secretaryInUnitB: () => ({ username: `s${name}`, name: `新书记${name}`, role: 'secretary', password: 'Passw0rd!2026', branchId: w.branchB.id }),
      adminOfUnitB: () => ({ username: `a${name}`, name: `新管理员${name}`, role: 'admin', password: 'Passw0rd!2026', unitId: w.unitB.id }),
      course: courseBody,
      activity: activityBody,
      spareInstructor: () => ({ userIds: [w.users.spareInstructor.id] }),
      enrolLearnerOfUnitB: () => ({ userIds: [w.users.learnerB.id] }),
      markLearnerOfUnitB: () => ({ userIds: [w.users.learnerB.id], present: true }),
      reflection: () => ({ body: REFLECTION }),
      question: () => ({ key: `q${name}`, kind: 'truefalse', prompt: '民主集中制是党的根本组织原则。', answer: true }),
      thread: () => ({ title: `交流${name}`, body: '分享一点做法。' }),
      post: () => ({ body: `回复${name}` }),
      suggestion: () => ({ title: `建议${name}`, body: '希望增加实践环节。' }),
      surveyOfCourse: () => surveyBody(w.course.id),
      surveyAnswers: () => ({ answers: [0] }),
      answer: () => ({ body: '感谢建议，已研究采纳。', status: 'adopted' }),
      reason: () => ({ reason: '姓名录入有误' }),
      checkInCode: () => ({ code: t.app.get(SessionsService).codeAt(w.course.session.id) }),
      record: () => recordBody(w.memberOfBranchB),
      correction: () => ({ field: 'place', value: `更正地点${name}`, reason: '地点录入有误' }),
      newPassword: () => ({ currentPassword: TEST_PASSWORD, newPassword: 'Another#Passw0rd' }),
      assessmentScheme: () => ASSESSMENT_SCHEME,
      norms: () => ({ items: [{ kind: 'theme_day', name: '主题党日', minCount: 1, per: 'month', branchKinds: ['staff', 'student'], requires: ['attendance', 'photos'] }] }),
      member: () => ({ name: `党员${name}`, category: 'probationary' }),
      planItems: () => ({ items: [{ month: 3, kind: 'own', title: `自选主题${name}` }] }),
    };
    const files: Record<string, () => { payload: Buffer; headers: Record<string, string> }> = {
      pdf: () => multipartFile('file', '学习材料.pdf', PDF, 'application/pdf'),
      photo: () => multipartFile('file', '合影.png', pngImage(), 'image/png'),
      notAVideo: () => multipartFile('file', 'lesson.mp4', Buffer.from('not a video at all'), 'video/mp4'),
      roster: () => multipartFile('file', 'roster.csv', `工号,姓名\nr${name},新学员${name}\n`, 'text/csv'),
      memberList: () => multipartFile('file', '党员名册.csv', `姓名,类别\n党员${name},正式\n`, 'text/csv'),
    };
    if (files[row.body]) return files[row.body]();
    if (!built[row.body]) throw new Error(`no body named ${row.body}`);
    return { payload: built[row.body]() };
  }

  it('has a row for every registered route, and no row for a route that does not exist', () => {
    const registered = registeredRoutes(t);
    const covered = new Set(POLICY.map((row) => row.route));
    expect(registered.length).toBeGreaterThan(100);
    expect(registered.filter((route) => !covered.has(route))).toEqual([]);
    expect([...covered].filter((route) => !registered.includes(route))).toEqual([]);
  });

  it('names every caller exactly once in each row', () => {
    const incomplete = POLICY.flatMap((row) => {
      const named = [...row.allow, ...Object.keys(row.deny), ...Object.keys(row.reaches ?? {})];
      const missing = CALLERS.filter((caller) => !named.includes(caller));
      const twice = named.filter((caller, i) => named.indexOf(caller) !== i);
      return missing.length || twice.length ? [`${row.route} → ${row.target}: missing ${missing.join(', ') || '-'}; twice ${twice.join(', ') || '-'}`] : [];
    });
    expect(incomplete).toEqual([]);
  });

  it('shows an anonymous suggestion\'s author to the department only: not in a unit admin\'s list, view or answer', async () => {
    const id = w.anonymousSuggestionOfUnitB;
    const author = w.users.learnerB;
    expect(ok(await t.get(`/api/suggestions/${id}`, dept()), 'department view').author).toMatchObject({ id: author.id });
    ok(await t.post(`/api/suggestions/${id}/reply`, { body: '已转组织部研究。', status: 'received' }, dept()), 'department answer');
    const unitB = w.tokens.unitAdminB;
    const seen = [
      ok(await t.get(`/api/suggestions/${id}`, unitB), 'unit view'),
      ok(await t.get('/api/suggestions?pageSize=100', unitB), 'unit list').items.find((s: { id: string }) => s.id === id),
    ];
    for (const view of seen) {
      expect(view).toMatchObject({ id, anonymous: true, author: null, reply: '已转组织部研究。' });
      expect(JSON.stringify(view)).not.toContain(author.name);
    }
  });

  it.each(POLICY.map((row) => [`${row.route} → ${row.target}`, row] as const))('%s', async (_name, row) => {
    const [method, path] = row.route.split(' ');
    const expected = (caller: Caller): number | '2xx' => row.deny[caller] ?? row.reaches?.[caller] ?? '2xx';
    // Refused callers first: what they try must change nothing the allowed ones then act on.
    const order = [...CALLERS].sort((a, b) => Number(row.allow.includes(a)) - Number(row.allow.includes(b)));
    const wrong: string[] = [];
    for (const caller of order) {
      const values = await params(row.target, row.allow.includes(caller));
      const url = path.replace(/:(\w+)/g, (_m, key: string) => {
        if (values[key] === undefined) throw new Error(`${row.target} has no ${key}`);
        return encodeURIComponent(values[key]);
      }) + (row.query ?? '');
      const { payload, headers } = body(row);
      const response = await t.request({
        method: method as 'GET',
        url,
        token: caller === 'anonymous' ? undefined : w.tokens[caller],
        headers,
        payload: payload as string,
      });
      const want = expected(caller);
      const fine = want === '2xx' ? response.statusCode >= 200 && response.statusCode < 300 : response.statusCode === want;
      if (!fine) wrong.push(`${caller}: expected ${want}, got ${response.statusCode} ${response.body.slice(0, 160)}`);
      else if (row.departmentOnly && want === 403 && caller.startsWith('unitAdmin') && response.json().code !== 'DEPARTMENT_ONLY') {
        wrong.push(`${caller}: expected code DEPARTMENT_ONLY, got ${response.body.slice(0, 160)}`);
      }
    }
    expect(wrong).toEqual([]);
    // Generous: a QR image per check-in code call is slow on a loaded machine.
  }, 120_000);
});

/** A named one-question survey of the course, open now, aimed at its learners. */
function surveyBody(courseId: string) {
  return {
    title: `培训评估${uniq()}`,
    anonymous: false,
    audience: { courseId },
    opensAt: new Date(Date.now() - 3600e3).toISOString(),
    closesAt: new Date(Date.now() + 7 * 86400e3).toISOString(),
    questions: [{ kind: 'single', prompt: '总体满意度', options: ['满意', '不满意'], required: true }],
  };
}
