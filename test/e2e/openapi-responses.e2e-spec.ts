import { AssessmentRoundsService } from '../../src/assessments/assessment-rounds.service';
import Ajv, { type ValidateFunction } from 'ajv';
import type { InjectOptions, Response } from 'light-my-request';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertificateCompiler } from '../../src/certificates/certificate-compiler.service';
import { appConfig } from '../../src/config/config';
import { makeRecord } from '../factories/branch-work.factory';
import { markCompleted } from '../factories/certificate.factory';
import { activityBody, buildCourse, BuiltCourse, expectStatus } from '../factories/course.factory';
import { makeMembers, pngImage } from '../factories/handbook.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { sampleVideo } from '../support/sample-videos';
import { createTestApp, sentThrough, TEST_PASSWORD, TestApp } from '../support/test-app';

/**
 * The OpenAPI document declares every route's answer, and the answers are what it declares: the web app's
 * generated client types its responses from this document. Every operation must declare a 2xx response with a
 * JSON schema or a non-JSON content type (files, CSV, calendars). Then a seeded course is walked through its
 * life over HTTP (created, published, studied, reviewed, reported on) and every JSON answer below 300 is
 * validated against the schema declared for its operation and status, closed to undeclared properties, so a
 * field the server sends but the document forgets fails as surely as a declared field the server omits.
 * Every operation must have been called (a new route needs its step in the walk), and web/src/api/openapi.json
 * (from which the web app's client is generated) must be this document: `npm run openapi` rewrites it.
 */

type Schema = Record<string, unknown> & { nullable?: boolean; properties?: Record<string, Schema>; additionalProperties?: unknown };
interface MediaType {
  schema?: Schema;
}
interface Operation {
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}
interface Answer {
  method: string;
  url: string;
  status: number;
  contentType: string;
  body: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const CHECKPOINT = { atSeconds: 1, prompt: '“三会一课”中的“一课”指什么？', options: ['党课', '业务课'], answer: 0 };
const JSON_TYPE = 'application/json';

/** OpenAPI 3.0's `nullable` as JSON Schema, and objects closed to properties they do not declare. */
function strict(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map(strict) as unknown as Schema;
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, strict(v)]));
    else if (value && typeof value === 'object') out[key] = strict(value as Schema);
    else out[key] = value;
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return schema.nullable ? { anyOf: [{ type: 'null' }, out] } : out;
}

describe('every route declares its answer, and the real answers match it (e2e, OpenAPI)', () => {
  let t: TestApp;
  let document: Document;
  const answers: Answer[] = [];
  /** The same app, recording every answer sent through it. */
  let rec: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    document = (await t.get('/api/docs-json')).json() as Document;
    const request = async (options: InjectOptions & { token?: string }): Promise<Response> => {
      const response = await t.request(options);
      answers.push({
        method: String(options.method ?? 'GET').toUpperCase(),
        url: String(options.url).split('?')[0],
        status: response.statusCode,
        contentType: String(response.headers['content-type'] ?? ''),
        body: response.body,
      });
      return response;
    };
    rec = { ...t, ...sentThrough(request) };
    await walk(rec, t);
  }, 240_000);
  afterAll(async () => {
    // The norms the walk saved for 2098 would be where later files' untouched years start from.
    await t?.dataSource.query('DELETE FROM norm_versions WHERE year = 2098');
    await t?.close();
  });

  function operations(): Array<{ method: string; path: string; operation: Operation }> {
    return Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
    );
  }

  it('declares for every operation a 2xx answer with a JSON schema or a non-JSON content type', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(100);
    const undeclared = ops
      .filter(({ operation }) => {
        const success = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
        return !success.some(([status, response]) => {
          if (status === '204') return true;
          const content = Object.entries(response.content ?? {});
          return content.length > 0 && content.every(([type, media]) => (type === JSON_TYPE ? Boolean(media.schema) : true));
        });
      })
      .map(({ method, path }) => `${method} ${path}`);
    expect(undeclared).toEqual([]);
  });

  it('is the document checked in for the web app’s generated client (npm run openapi writes it)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'web', 'src', 'api', 'openapi.json'), 'utf8')) as Document;
    expect(committed).toEqual(document);
  });

  it('answers every walked request as declared, and walks every route', () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const components = Object.fromEntries(Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => [name, strict(schema)]));
    const routes = operations().map((op) => ({
      ...op,
      pattern: new RegExp(`^${op.path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
      literals: op.path.split('/').filter((s) => s && !s.startsWith('{')).length,
    }));
    const validators = new Map<string, ValidateFunction>();
    const failures: string[] = [];
    const walked = new Set<string>();

    for (const answer of answers.filter((a) => a.status < 300)) {
      const route = routes.filter((r) => r.method === answer.method && r.pattern.test(answer.url)).sort((a, b) => b.literals - a.literals)[0];
      if (!route) {
        failures.push(`${answer.method} ${answer.url}: no operation in the document`);
        continue;
      }
      const name = `${route.method} ${route.path}`;
      const declared = route.operation.responses?.[String(answer.status)];
      if (!declared) {
        failures.push(`${name}: answered ${answer.status}, which the document does not declare (${Object.keys(route.operation.responses ?? {}).join(', ')})`);
        continue;
      }
      walked.add(name);
      if (!answer.contentType.startsWith(JSON_TYPE)) {
        if (answer.status !== 204 && !Object.keys(declared.content ?? {}).some((type) => answer.contentType.startsWith(type))) {
          failures.push(`${name}: answered ${answer.contentType}, declared ${Object.keys(declared.content ?? {}).join(', ')}`);
        }
        continue;
      }
      const schema = declared.content?.[JSON_TYPE]?.schema;
      if (!schema) {
        failures.push(`${name}: answered JSON with no schema declared for ${answer.status}`);
        continue;
      }
      const key = `${name} ${answer.status}`;
      if (!validators.has(key)) validators.set(key, ajv.compile({ ...strict(schema), components: { schemas: components } }));
      const validate = validators.get(key)!;
      if (!validate(JSON.parse(answer.body))) {
        failures.push(`${name} (${answer.url}): ${ajv.errorsText(validate.errors, { separator: '\n    ' })}\n    body: ${answer.body.slice(0, 600)}`);
      }
    }

    const unwalked = operations()
      .map(({ method, path }) => `${method} ${path}`)
      .filter((name) => !walked.has(name));
    // Every step of the walk is meant to succeed: a refusal would leave its answer unchecked.
    expect(answers.filter((a) => a.status >= 400).map((a) => `${a.method} ${a.url}: ${a.status} ${a.body.slice(0, 200)}`)).toEqual([]);
    expect(failures).toEqual([]);
    expect(unwalked).toEqual([]);
  });
});

/** A course's life over HTTP, as the department, an instructor and two learners live it. */
async function walk(rec: TestApp, t: TestApp): Promise<void> {
  const ds = t.dataSource;
  const department = await makeUser(ds, { role: 'admin' });
  const unit = await makeUnit(ds);
  const branch = await makeBranch(ds, unit);
  const instructor = await makeUser(ds, { role: 'instructor' });
  const learner = await makeUser(ds, { role: 'secretary', branch });
  const classmate = await makeUser(ds, { role: 'secretary', branch });
  const admin = await rec.login(department.username);
  const teacher = await rec.login(instructor.username);
  const me = await rec.login(learner.username);
  const mate = await rec.login(classmate.username);
  const ok = async (response: Promise<Response>, status: number, what: string) => expectStatus(await response, status, what).json();

  // Identity and organisation.
  await rec.get('/api/me', me);
  await rec.patch('/api/me', { phone: '010-12345678' }, me);
  await rec.get('/api/me/preferences', me);
  await rec.patch('/api/me/preferences', { weeklyDigest: false }, me);
  const newUnit = await ok(rec.post('/api/units', { name: uniq('新党委'), code: uniq('U') }, admin), 201, 'unit');
  await rec.get('/api/units', admin);
  await rec.get(`/api/units/${newUnit.id}`, admin);
  await rec.patch(`/api/units/${newUnit.id}`, { name: uniq('改名党委') }, admin);
  const newBranch = await ok(rec.post('/api/branches', { unitId: newUnit.id, name: uniq('支部'), code: uniq('B') }, admin), 201, 'branch');
  await rec.get('/api/branches', admin);
  await rec.get(`/api/branches/${newBranch.id}`, admin);
  await rec.patch(`/api/branches/${newBranch.id}`, { name: uniq('改名支部') }, admin);
  const newUser = await ok(rec.post('/api/users', { username: uniq('n'), name: '新书记', role: 'secretary', branchId: newBranch.id }, admin), 201, 'user');
  await rec.get('/api/users', admin);
  await rec.get(`/api/users/${newUser.id}`, admin);
  await rec.get(`/api/users/${learner.id}`, admin);
  await rec.patch(`/api/users/${newUser.id}`, { email: `${uniq('m')}@example.edu.cn` }, admin);
  await rec.post(`/api/users/${newUser.id}/reset-password`, {}, admin);
  await rec.get('/api/users/import/template?format=csv', admin);
  const roster = multipartFile('file', 'roster.csv', `工号,姓名,单位,支部\n${uniq('r')},王芳,${unit.name},${branch.name}\n${uniq('r')},,不存在的单位,\n`, 'text/csv');
  await rec.request({ method: 'POST', url: '/api/users/import?dryRun=true', token: admin, payload: roster.payload, headers: roster.headers });

  // A course built, published and joined.
  const now = Date.now();
  const session = { startsAt: new Date(now - 3600_000).toISOString(), endsAt: new Date(now + 3600_000).toISOString() };
  const course: BuiltCourse = await buildCourse(rec, admin, { learnerIds: [learner.id, classmate.id], session, video: { checkpoints: [CHECKPOINT] } });
  await rec.post(`/api/courses/${course.id}/instructors`, { userIds: [instructor.id] }, admin);
  await rec.patch(`/api/courses/${course.id}`, { requiredCreditHours: 3 }, admin);
  const spareSection = await ok(rec.post(`/api/courses/${course.id}/sections`, { title: uniq('空章节') }, admin), 201, 'section');
  await rec.patch(`/api/sections/${spareSection.id}`, { title: uniq('改名章节') }, admin);
  await rec.delete(`/api/sections/${spareSection.id}`, admin);
  await rec.get('/api/courses', admin);
  await rec.get('/api/courses', me);
  await rec.get('/api/courses', teacher);
  await rec.get(`/api/courses/${course.id}`, admin);
  await rec.get(`/api/courses/${course.id}`, me);
  for (const activity of course.all) {
    await rec.get(`/api/activities/${activity.id}`, admin);
    await rec.get(`/api/activities/${activity.id}`, me);
  }
  await rec.patch(`/api/activities/${course.discussion.id}`, { title: uniq('交流研讨') }, admin);
  const spare = await ok(
    rec.post(`/api/courses/${course.id}/activities`, { sectionId: course.sectionId, ...activityBody('reading', course) }, admin),
    201,
    'spare activity',
  );
  await rec.delete(`/api/activities/${spare.id}`, admin);
  await rec.get(`/api/courses/${course.id}/enrollments`, admin);
  await rec.get(`/api/courses/${course.id}/schedule`, me);
  await rec.get(`/api/courses/${course.id}/schedule.ics`, me);
  const feed = await ok(rec.post('/api/me/calendar-feed', {}, me), 201, 'calendar feed');
  await rec.get(new URL(String(feed.url), 'http://x').pathname, undefined);

  // Videos: the factory records a stand-in without bytes, so give playback a file to read.
  mkdirSync(join(appConfig().storage.dir, 'videos', course.video.id), { recursive: true });
  writeFileSync(join(appConfig().storage.dir, 'videos', course.video.id, 'factory-stand-in.mp4'), '');
  const signed = await ok(rec.get(`/api/activities/${course.video.id}/video-url`, me), 200, 'video url');
  await rec.post(`/api/activities/${course.video.id}/play`, {}, me);
  await rec.post(`/api/activities/${course.video.id}/progress`, { from: 0, to: 1 }, me);
  await rec.get(`/api/activities/${course.video.id}/watch`, me);
  await rec.post(`/api/activities/${course.video.id}/checkpoints/0`, { answer: CHECKPOINT.answer }, me);
  const sample = sampleVideo(2, 'mp4');
  const upload = multipartFile('file', sample.name, sample.bytes, 'video/mp4');
  await rec.request({ method: 'POST', url: `/api/activities/${course.video.id}/video`, token: admin, payload: upload.payload, headers: upload.headers });
  await rec.get(`/api/activities/${course.video.id}/video`, me);
  await rec.get(String(signed.url));

  // Readings: a reflection submitted, listed, reviewed as excellent and shown; a PDF attached.
  await rec.get(`/api/activities/${course.reading.id}/reading`, me);
  await rec.get(`/api/activities/${course.reading.id}/reading`, admin);
  const reflection = await ok(
    rec.post(`/api/activities/${course.reading.id}/reflections`, { body: '学习党章的体会，结合支部工作实际。'.repeat(8), shareConsent: true }, me),
    201,
    'reflection',
  );
  const copied = await ok(rec.post(`/api/activities/${course.reading.id}/reflections`, { body: '学习党章的体会，结合支部工作实际。'.repeat(8) }, mate), 201, 'copied reflection');
  await rec.get(`/api/activities/${course.reading.id}/reflections`, admin);
  await rec.get(`/api/activities/${course.reading.id}/reflections`, me);
  await rec.get(`/api/reflections/${reflection.id}`, me);
  await rec.get('/api/reviews/reflections', admin);
  await rec.get('/api/reviews/reflections/counts', admin);
  await rec.get(`/api/reviews/reflections/${reflection.id}/compare`, admin);
  await rec.get(`/api/reviews/reflections/${copied.id}/compare`, admin);
  await rec.post(`/api/reflections/${reflection.id}/review`, { decision: 'approve', excellent: true }, admin);
  await rec.get(`/api/activities/${course.reading.id}/reflections/excellent`, me);
  const pdf = multipartFile('file', '材料.pdf', '%PDF-1.4\n%%EOF\n', 'application/pdf');
  const attachment = await ok(
    rec.request({ method: 'POST', url: `/api/activities/${course.reading.id}/attachments`, token: admin, payload: pdf.payload, headers: pdf.headers }),
    201,
    'attachment',
  );
  await rec.get(`/api/activities/${course.reading.id}/attachments`, me);
  await rec.get(`/api/attachments/${attachment.id}`, me);
  await rec.delete(`/api/attachments/${attachment.id}`, admin);

  // Quizzes: an attempt saved and graded; the bank.
  const attempt = await ok(rec.post(`/api/activities/${course.quiz.id}/attempts`, {}, me), 201, 'attempt');
  await rec.put(`/api/attempts/${attempt.id}/answers`, { answers: { '0': 0 } }, me);
  await rec.get(`/api/attempts/${attempt.id}`, me);
  await rec.post(`/api/attempts/${attempt.id}/submit`, { answers: { '0': 0, '1': true } }, me);
  await rec.get(`/api/attempts/${attempt.id}`, me);
  await rec.get(`/api/activities/${course.quiz.id}/attempts`, me);
  await rec.get(`/api/activities/${course.quiz.id}/quiz-stats`, admin);
  const question = await ok(
    rec.post(`/api/courses/${course.id}/questions`, { key: `q${uniq()}`, kind: 'single', prompt: '三会一课包括？', options: ['支部党员大会', '茶话会'], answer: 0, tags: ['制度'] }, admin),
    201,
    'question',
  );
  await rec.get(`/api/courses/${course.id}/questions`, admin);
  await rec.get(`/api/questions/${question.id}`, admin);
  await rec.patch(`/api/questions/${question.id}`, { key: question.key, kind: 'truefalse', prompt: '三会一课是基本制度。', answer: true }, admin);
  await rec.post(`/api/questions/${question.id}/archive`, {}, admin);
  await rec.post(`/api/questions/${question.id}/unarchive`, {}, admin);

  // Discussions: a thread with a post and a reply, moderated; the course forum.
  const thread = await ok(rec.post(`/api/activities/${course.discussion.id}/threads`, { title: '支部工作交流', body: '我们支部的做法。'.repeat(5) }, me), 201, 'thread');
  const post = await ok(rec.post(`/api/threads/${thread.id}/posts`, { body: '赞同，我们也这样做。'.repeat(3) }, mate), 201, 'post');
  await rec.post(`/api/threads/${thread.id}/posts`, { body: '谢谢分享。', parentId: post.id }, me);
  await rec.patch(`/api/posts/${post.id}`, { body: '赞同，我们支部也这样做。' }, mate);
  await rec.get(`/api/activities/${course.discussion.id}/threads`, me);
  await rec.get(`/api/threads/${thread.id}`, me);
  await rec.patch(`/api/threads/${thread.id}`, { pinned: true }, admin);
  await rec.post(`/api/threads/${thread.id}/moderate`, { locked: false }, admin);
  await rec.post(`/api/posts/${post.id}/moderate`, { featured: true }, admin);
  await rec.get(`/api/threads/${thread.id}`, admin);
  await rec.post(`/api/courses/${course.id}/forum/threads`, { title: '课程建议', body: '希望增加案例。' }, me);
  await rec.get(`/api/courses/${course.id}/forum/threads`, me);

  // Sessions: check-in opened, a learner checks in, attendance marked and listed.
  await rec.post(`/api/activities/${course.session.id}/checkin/open`, { open: true }, admin);
  await rec.get(`/api/activities/${course.session.id}/checkin`, admin);
  const code = await ok(rec.get(`/api/activities/${course.session.id}/checkin/code`, admin), 200, 'check-in code');
  await rec.post(`/api/activities/${course.session.id}/check-in-code`, {}, admin);
  await rec.post(`/api/activities/${course.session.id}/checkin`, { code: code.code }, me);
  await rec.post(`/api/activities/${course.session.id}/check-in`, { code: code.code }, me);
  await rec.put(`/api/activities/${course.session.id}/attendance`, { userIds: [classmate.id], present: true }, admin);
  await rec.put(`/api/activities/${course.session.id}/attendance/${classmate.id}`, { status: 'excused', reason: '出差' }, admin);
  await rec.get(`/api/activities/${course.session.id}/attendance`, admin);
  await rec.get(`/api/activities/${course.session.id}/attendance?format=csv`, admin);
  await rec.get(`/api/activities/${course.session.id}/attendance?format=xlsx`, admin);

  // Progress, the learner's home and record.
  await rec.get('/api/me/todo', me);
  await rec.get(`/api/courses/${course.id}/progress`, me);
  await rec.get('/api/me/record', me);
  await rec.get('/api/me/record?format=csv', me);

  // Reports.
  await rec.get(`/api/reports/courses/${course.id}/completion`, admin);
  await rec.get(`/api/reports/courses/${course.id}/learners`, admin);
  await rec.get(`/api/reports/courses/${course.id}/branches?unitId=${unit.id}`, admin);
  await rec.get(`/api/reports/courses/${course.id}/export?table=learners&format=csv`, admin);
  await rec.get(`/api/reports/courses/${course.id}/export?table=units&format=xlsx`, admin);

  // Branch-work oversight, with records in the branch's handbook so every field of the answer is there.
  await makeRecord(ds, branch, { kind: 'theme_day', heldAt: new Date(), status: 'accepted', createdBy: learner.id });
  await makeRecord(ds, branch, { kind: 'committee_meeting', heldAt: new Date(), status: 'draft', createdBy: learner.id });
  await rec.get(`/api/reports/branch-work?unitId=${unit.id}`, admin);
  await rec.get(`/api/reports/branch-work/branches/${branch.id}`, admin);
  await rec.get(`/api/reports/branch-work/export?unitId=${unit.id}`, admin);

  // Reminders.
  const run = await ok(rec.post(`/api/courses/${course.id}/reminders/run`, {}, admin), 202, 'reminder run');
  await rec.get(`/api/courses/${course.id}/reminders/run/${run.jobId}`, admin);
  await rec.get('/api/admin/reminders/summary', admin);
  await rec.get('/api/admin/reminders/deliveries', admin);

  // Certificates: the learner completes, the forced compile runs here rather than in a worker process.
  await markCompleted(ds, course.id, [learner.id]);
  await rec.get(`/api/courses/${course.id}/close-preview`, admin);
  const compile = await ok(rec.post(`/api/courses/${course.id}/certificates/compile?force=true`, {}, admin), 202, 'compile');
  await rec.get(`/api/courses/${course.id}/certificates/compile/${compile.jobId}`, admin);
  await t.app.get(CertificateCompiler).run({ courseId: course.id, batchId: String(compile.jobId).split('.').pop() });
  await rec.get(`/api/courses/${course.id}/certificates/compile/${compile.jobId}`, admin);
  const certificates = await ok(rec.get(`/api/courses/${course.id}/certificates`, admin), 200, 'certificates');
  const [certificate] = certificates.items;
  await rec.get('/api/me/certificates', me);
  await rec.get(`/api/certificates/verify/${certificate.verificationCode}`);
  await rec.get(`/api/certificates/${certificate.id}/pdf`, me);
  await rec.get(`/api/courses/${course.id}/certificates/summary`, admin);
  await rec.get(`/api/courses/${course.id}/certificates/bundle`, admin);
  const reissued = await ok(rec.post(`/api/certificates/${certificate.id}/reissue`, { reason: '姓名有误，重新颁发' }, admin), 201, 'reissue');
  await rec.post(`/api/certificates/${reissued.id}/revoke`, { reason: '误发' }, admin);
  await rec.get(`/api/courses/${course.id}/certificates`, admin);

  // Suggestions and notifications.
  const suggestion = await ok(rec.post('/api/suggestions', { title: '建议增加案例教学', body: '希望多安排案例讨论。', courseId: course.id }, me), 201, 'suggestion');
  await rec.get('/api/suggestions', me);
  await rec.get(`/api/suggestions/${suggestion.id}`, me);
  await rec.post(`/api/suggestions/${suggestion.id}/reply`, { reply: '感谢建议。', status: 'adopted' }, admin);
  await rec.get(`/api/suggestions/${suggestion.id}`, admin);
  // Exchange of experience (经验交流): the secretary shares a case; the unit recommends, the department features and moderates.
  const unitAdmin = await rec.login((await makeUser(ds, { role: 'admin', unitId: unit.id })).username);
  const shared = await ok(rec.post('/api/cases', { title: '轮值主持组织生活', body: '支部委员**轮值**主持。', tags: ['组织生活'], kind: 'organization_life' }, me), 201, 'case');
  const casePhoto = await ok(rec.request({ method: 'POST', url: `/api/cases/${shared.id}/files`, token: me, ...multipartFile('file', '合影.png', pngImage(), 'image/png') }), 201, 'case photo');
  await ok(rec.request({ method: 'POST', url: `/api/cases/${shared.id}/files`, token: me, ...multipartFile('file', '方案.pdf', '%PDF-1.4\n%%EOF\n', 'application/pdf') }), 201, 'case file');
  await rec.get(`/api/cases/${shared.id}/files/${casePhoto.id}`, mate);
  await rec.get('/api/cases?tag=%E7%BB%84%E7%BB%87%E7%94%9F%E6%B4%BB&kind=organization_life', mate);
  await rec.get(`/api/cases/${shared.id}`, mate);
  await rec.post(`/api/cases/${shared.id}/comments`, { body: '值得学习。' }, mate);
  await rec.get(`/api/cases/${shared.id}/comments`, me);
  await rec.post(`/api/cases/${shared.id}/useful`, {}, mate);
  await rec.post(`/api/cases/${shared.id}/recommend`, {}, unitAdmin);
  await rec.post(`/api/cases/${shared.id}/feature`, { featured: true }, admin);
  await rec.post(`/api/cases/${shared.id}/lock`, { locked: true }, unitAdmin);
  await rec.delete(`/api/cases/${shared.id}/files/${casePhoto.id}`, me);
  await rec.post(`/api/cases/${shared.id}/hide`, { hidden: true }, admin);
  const notifications = await ok(rec.get('/api/me/notifications', me), 200, 'notifications');
  if (notifications.items?.[0]) await rec.post(`/api/me/notifications/${notifications.items[0].id}/read`, {}, me);
  await rec.post('/api/me/notifications/read-all', {}, me);

  // Surveys: the department asks the learner's unit; the learner answers; the department reads the results.
  const survey = await ok(
    rec.post(
      '/api/surveys',
      {
        title: '支部工作调研',
        anonymous: true,
        audience: { unitId: unit.id },
        opensAt: new Date(Date.now() - 3600e3).toISOString(),
        closesAt: new Date(Date.now() + 86400e3).toISOString(),
        questions: [
          { kind: 'single', prompt: '总体满意度', options: ['满意', '不满意'], required: true },
          { kind: 'text', prompt: '建议', required: false },
        ],
      },
      admin,
    ),
    201,
    'survey',
  );
  await rec.get('/api/surveys', me);
  await rec.get(`/api/surveys/${survey.id}`, me);
  await ok(rec.post(`/api/surveys/${survey.id}/responses`, { answers: [0, '多安排研讨'] }, me), 201, 'survey answer');
  await rec.get(`/api/surveys/${survey.id}/results`, admin);
  await rec.get(`/api/surveys/${survey.id}/results?format=xlsx`, admin);
  // The course's questionnaire required before its certificate: the learner's home names it until answered.
  const required = await ok(
    rec.post(
      '/api/surveys',
      {
        title: '培训效果评估',
        anonymous: true,
        audience: { courseId: course.id },
        opensAt: new Date(Date.now() - 3600e3).toISOString(),
        closesAt: new Date(Date.now() + 86400e3).toISOString(),
        questions: [{ kind: 'scale', prompt: '总体评价', required: true }],
        requiredForCertificate: true,
      },
      admin,
    ),
    201,
    'required survey',
  );
  const home = await ok(rec.get('/api/me/todo', me), 200, 'todo with a questionnaire');
  expect(home.questionnaires.map((q: { surveyId: string }) => q.surveyId)).toEqual([required.id]);
  await ok(rec.post(`/api/surveys/${required.id}/responses`, { answers: [5] }, me), 201, 'required survey answer');

  // Assessment (考核评估): a scheme, a round counted in this process, scores, an adjustment, publishing, the results.
  const scheme = {
    indicators: [
      { key: 'compliance', name: '组织生活达标', weight: 60, source: 'auto', measure: 'handbook.compliance' },
      { key: 'quality', name: '记录质量', weight: 40, source: 'manual' },
    ],
    bands: [
      { grade: 'excellent', min: 90 },
      { grade: 'good', min: 75 },
      { grade: 'poor', min: 0 },
    ],
    excellentCap: 0.2,
  };
  await rec.get('/api/assessments/measures', admin);
  await rec.put('/api/assessments/schemes/2096', scheme, admin);
  await rec.get('/api/assessments/schemes/2096', unitAdmin);
  const round = await ok(rec.post('/api/assessments/rounds', { year: 2096, schemeYear: 2096 }, admin), 202, 'round');
  const rounds = t.app.get(AssessmentRoundsService);
  await rounds.plan({ roundId: round.id, attempt: 0 });
  await ds.query(`UPDATE assessment_rounds SET state = 'failed' WHERE id = ?`, [round.id]);
  await rec.post(`/api/assessments/rounds/${round.id}/retry`, {}, admin);
  await rounds.plan({ roundId: round.id, attempt: 1 });
  for (let chunk = 0; (await rec.get(`/api/assessments/rounds/${round.id}`, admin)).json().state === 'computing'; chunk++) {
    await rounds.countChunk({ roundId: round.id, attempt: 1, chunk });
  }
  await rec.get('/api/assessments/rounds?year=2096', unitAdmin);
  await rec.put(`/api/assessments/rounds/${round.id}/branches/${branch.id}/manual`, { scores: [{ key: 'quality', score: 88, reason: '记录完整' }] }, unitAdmin);
  const adjustment = await ok(rec.post(`/api/assessments/rounds/${round.id}/branches/${branch.id}/adjustments`, { key: 'compliance', score: 90, reason: '补录记录' }, unitAdmin), 201, 'adjustment');
  await rec.get(`/api/assessments/rounds/${round.id}/adjustments?state=proposed`, admin);
  await rec.post(`/api/assessments/rounds/${round.id}/adjustments/${adjustment.id}/decision`, { accept: true, comment: '同意' }, admin);
  // The other branches of the database are scored straight into the table, so publishing can go ahead.
  await ds.query(
    `INSERT IGNORE INTO assessment_manual_scores (round_id, branch_id, indicator_key, score, reason, scored_by, scored_at)
     SELECT round_id, branch_id, 'quality', 60, '按一般评定', ?, NOW(3) FROM assessment_results WHERE round_id = ?`,
    [department.id, round.id],
  );
  await rec.get(`/api/assessments/rounds/${round.id}/results?pageSize=5`, admin);
  await rec.post(`/api/assessments/rounds/${round.id}/publish`, {}, admin);
  await rec.get(`/api/assessments/rounds/${round.id}/results?format=xlsx`, unitAdmin);
  await rec.get(`/api/assessments/rounds/${round.id}/branches/${branch.id}/sheet`, me);
  await rec.get(`/api/branches/${branch.id}/assessment?year=2096`, me);

  // Branch work: the handbook. The learner is their branch's secretary; the department reviews.
  const [member, absentee] = await makeMembers(ds, branch, [{ name: '张红' }, { name: '陈预备', category: 'probationary' }]);
  const photo = () => multipartFile('file', '合影.png', pngImage(), 'image/png');
  const record = await ok(
    rec.post(
      `/api/branches/${branch.id}/records`,
      {
        kind: 'theme_day',
        title: '主题党日：重温入党誓词',
        heldAt: '2026-09-20T14:30:00+08:00',
        place: '党员活动室',
        chair: '王书记',
        attendance: { present: [member.id], absent: [{ memberId: absentee.id, reason: '出差' }] },
        minutes: '## 议程\n重温入党誓词。',
      },
      me,
    ),
    201,
    'record',
  );
  await rec.get(`/api/branches/${branch.id}/records?year=2026`, me);
  await rec.patch(`/api/records/${record.id}`, { recorder: '李委员' }, me);
  const kept = await ok(rec.request({ method: 'POST', url: `/api/records/${record.id}/attachments`, token: me, ...photo() }), 201, 'photo');
  const dropped = await ok(rec.request({ method: 'POST', url: `/api/records/${record.id}/attachments?kind=signInSheet`, token: me, ...photo() }), 201, 'sheet');
  await rec.delete(dropped.url, me);
  await rec.get(kept.url, me);
  await rec.post(`/api/records/${record.id}/submit`, {}, me);
  await rec.get('/api/records?status=submitted', admin);
  await rec.post(`/api/records/${record.id}/review`, { decision: 'accept', comment: '记录完整' }, admin);
  await rec.post(`/api/records/${record.id}/corrections`, { field: 'place', value: '二楼党员活动室', reason: '地点录入有误' }, me);
  await rec.get(`/api/records/${record.id}`, admin);
  await rec.get(`/api/branches/${branch.id}/handbook/2026?format=pdf`, admin);
  await rec.get(`/api/branches/${branch.id}/handbook/2026?format=xlsx`, me);
  // Branch work: the norms, the learner's branch's member list and annual plan (the learner is its secretary).
  await rec.get('/api/norms', me);
  await rec.put('/api/norms/2098', { items: [{ kind: 'theme_day', name: '主题党日', minCount: 1, per: 'month', branchKinds: ['staff'], requires: ['photos'] }] }, admin);
  const members = `/api/branches/${branch.id}/members`;
  const newMember = await ok(rec.post(members, { name: '王芳', category: 'probationary', joinedAt: '2025-06-30' }, me), 201, 'member');
  await rec.patch(`${members}/${newMember.id}`, { category: 'full' }, me);
  const memberList = multipartFile('file', '党员名册.csv', '姓名,类别,入党时间\n李强,正式,2010-07-01\n', 'text/csv');
  await rec.request({ method: 'POST', url: `${members}/import`, token: me, payload: memberList.payload, headers: memberList.headers });
  await rec.delete(`${members}/${newMember.id}`, me);
  await rec.get(`${members}?includeLeft=true`, admin);
  const planUrl = `/api/branches/${branch.id}/plans/2030`;
  const plan = await ok(rec.get(planUrl, me), 200, 'plan');
  const planItems = plan.items.map(({ month, kind, title }: { month: number; kind: string; title: string }) => ({ month, kind, title }));
  await rec.put(planUrl, { items: [...planItems, { month: 7, kind: 'own', title: '参观党史馆' }] }, me);
  await rec.post(`${planUrl}/submit`, {}, me);
  await rec.get(`/api/branch-plans?year=2030&status=submitted&unitId=${unit.id}`, admin);
  await rec.post(`${planUrl}/review`, { decision: 'approve', comment: '同意。' }, admin);
  await rec.get(planUrl, admin);
  await rec.get(`${planUrl}/export?format=xlsx`, admin);
  await rec.get(`${planUrl}/export?format=pdf`, me);

  // Operations, then the changes that end things: close the course, change a password.
  await rec.get('/api/health');
  await rec.post('/api/admin/queue-session', {}, admin);
  await rec.post(`/api/activities/${course.discussion.id}/archive`, {}, admin);
  await rec.post(`/api/activities/${course.discussion.id}/unarchive`, {}, admin);
  await rec.delete(`/api/courses/${course.id}/instructors/${instructor.id}`, admin);
  await rec.delete(`/api/courses/${course.id}/enrollments/${classmate.id}`, admin);
  await rec.post(`/api/courses/${course.id}/close`, {}, admin);
  await rec.delete('/api/me/calendar-feed', me);
  await rec.post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'a-new-password-456' }, mate);
}
