import { AssessmentRoundsService } from '../../src/assessments/assessment-rounds.service';
import type { Response } from 'light-my-request';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_JSON_DEPTH } from '../../src/common/json-body';
import { appConfig } from '../../src/config/config';
import { buildCourse, BuiltCourse, expectStatus } from '../factories/course.factory';
import { makeMembers, pngImage } from '../factories/handbook.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Bad input never answers 5xx, on any route. The cases are generated from the OpenAPI document
 * (/api/docs-json), so a route added tomorrow is covered without touching this file: for every operation,
 * bad path ids, bad query values, and bodies with each field of the wrong type, each required field missing,
 * huge strings (just under and above the body limit), truncated JSON, a deeply nested and a very wide body,
 * an empty body and the wrong content type. Routes whose body has no schema in the document get generic
 * bodies. Each case is sent as the department admin and as an enrolled secretary, with real seeded objects in
 * the path so the requests reach the services, and state-changing routes (publish, close, archive, DELETE,
 * the password) run last.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};
interface Operation {
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema?: Schema }> };
}
interface Case {
  what: string;
  url: string;
  payload?: string | Buffer;
  contentType?: string;
}

const BAD_IDS = ['abc', '-1', '0', '1.5', '99999999999999999999999', "1' OR '1'='1", '%00', 'NaN', `${'9'.repeat(300)}`];
const BAD_QUERY_VALUES = ['abc', '-1', '0', '99999999999999999999999', 'x'.repeat(4000), "'; DROP TABLE users; --", '%E4%B8', '[object Object]'];
/** State-changing routes, run after everything else so they cannot take objects away from other cases. */
const LATE = /\/(close|archive|unarchive|deactivate|revoke|reissue|publish|reset-password|read-all|compile|reminders)\b|\/enrollments\/|\/instructors\//;

describe('bad input on every route answers below 500 (e2e, generated from OpenAPI)', () => {
  let t: TestApp;
  let tokens: Record<'admin' | 'secretary', string>;
  let course: BuiltCourse;
  const ids: Record<string, string> = {};
  const bodyLimit = appConfig().http.bodyLimitBytes;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await makeUser(t.dataSource, { role: 'admin' });
    const unit = await makeUnit(t.dataSource);
    const branch = await makeBranch(t.dataSource, unit);
    const secretary = await makeUser(t.dataSource, { role: 'secretary', branch });
    const spare = await makeUser(t.dataSource, { role: 'secretary', branch });
    tokens = { admin: await t.login(admin.username), secretary: await t.login(secretary.username) };
    course = await buildCourse(t, tokens.admin, { learnerIds: [secretary.id, spare.id] });
    // The factory records a stand-in video without bytes: give playback a file to read.
    mkdirSync(join(appConfig().storage.dir, 'videos', course.video.id), { recursive: true });
    writeFileSync(join(appConfig().storage.dir, 'videos', course.video.id, 'factory-stand-in.mp4'), '');
    const created = async (response: Promise<Response>, what: string) => expectStatus(await response, 201, what).json().id as string;
    Object.assign(ids, {
      unit: unit.id,
      branch: branch.id,
      user: spare.id,
      secretary: secretary.id,
      course: course.id,
      section: course.sectionId,
      attempt: await created(t.post(`/api/activities/${course.quiz.id}/attempts`, {}, tokens.secretary), 'attempt'),
      reflection: await created(t.post(`/api/activities/${course.reading.id}/reflections`, { body: '学习党章的体会。'.repeat(20) }, tokens.secretary), 'reflection'),
      thread: await created(t.post(`/api/activities/${course.discussion.id}/threads`, { title: '支部工作交流', body: '我们支部的做法。'.repeat(10) }, tokens.secretary), 'thread'),
      suggestion: await created(t.post('/api/suggestions', { title: '建议增加案例教学', body: '希望多安排案例讨论。' }, tokens.secretary), 'suggestion'),
      case: await created(t.post('/api/cases', { title: '轮值主持', body: '支部委员轮值主持组织生活。', tags: ['组织生活'] }, tokens.secretary), 'case'),
      // A named survey of the course, open now, so that answers reach the service's checks.
      survey: await created(
        t.post(
          '/api/surveys',
          {
            title: '培训评估',
            anonymous: false,
            audience: { courseId: course.id },
            opensAt: new Date(Date.now() - 3600e3).toISOString(),
            closesAt: new Date(Date.now() + 7 * 86400e3).toISOString(),
            questions: [{ kind: 'scale', prompt: '总体评分', required: true }],
          },
          tokens.admin,
        ),
        'survey',
      ),
      question: await created(t.post(`/api/courses/${course.id}/questions`, { key: `q${uniq()}`, kind: 'truefalse', prompt: '三会一课是基本制度。', answer: true }, tokens.admin), 'question'),
      attachment: await created(
        t.request({ method: 'POST', url: `/api/activities/${course.reading.id}/attachments`, token: tokens.admin, ...multipartFile('file', '材料.pdf', '%PDF-1.4\n%%EOF\n', 'application/pdf') }),
        'attachment',
      ),
    });
    ids.post = await created(t.post(`/api/threads/${ids.thread}/posts`, { body: '赞同，我们也这样做。'.repeat(5) }, tokens.secretary), 'post');
    // The secretary's branch keeps a handbook: a member, a draft record and its photo.
    const [member] = await makeMembers(t.dataSource, branch, [{ name: '张红' }]);
    const record = { kind: 'other', title: '支部活动', heldAt: '2026-05-04T15:00:00+08:00', place: '会议室', attendance: { present: [member.id], absent: [] }, minutes: '学习讨论。' };
    ids.record = await created(t.post(`/api/branches/${branch.id}/records`, record, tokens.secretary), 'record');
    ids.recordPhoto = await created(
      t.request({ method: 'POST', url: `/api/records/${ids.record}/attachments`, token: tokens.secretary, ...multipartFile('file', '合影.png', pngImage(), 'image/png') }),
      'record photo',
    );
    ids.caseFile = await created(
      t.request({ method: 'POST', url: `/api/cases/${ids.case}/files`, token: tokens.secretary, ...multipartFile('file', '合影.png', pngImage(), 'image/png') }),
      'case photo',
    );
    // The secretary's own branch: its member list and plan are theirs to keep, so the cases reach the services.
    ids.member = await created(t.post(`/api/branches/${branch.id}/members`, { name: '王芳' }, tokens.secretary), 'member');
    // A counted assessment round (2097) with a manual indicator, so scores and adjustments reach the services.
    const scheme = {
      indicators: [
        { key: 'compliance', name: '组织生活达标', weight: 60, source: 'auto', measure: 'handbook.compliance' },
        { key: 'quality', name: '记录质量', weight: 40, source: 'manual' },
      ],
      bands: [
        { grade: 'excellent', min: 90 },
        { grade: 'poor', min: 0 },
      ],
    };
    expectStatus(await t.put('/api/assessments/schemes/2097', scheme, tokens.admin), 200, 'scheme');
    ids.round = expectStatus(await t.post('/api/assessments/rounds', { year: 2097, schemeYear: 2097 }, tokens.admin), 202, 'round').json().id;
    const rounds = t.app.get(AssessmentRoundsService);
    await rounds.plan({ roundId: ids.round, attempt: 0 });
    for (let chunk = 0; (await t.get(`/api/assessments/rounds/${ids.round}`, tokens.admin)).json().state === 'computing'; chunk++) {
      await rounds.countChunk({ roundId: ids.round, attempt: 0, chunk });
    }
  });
  afterAll(() => t.close());

  /** A real id for the path parameter `name` of `path`, from the resource it follows. */
  function realId(path: string, name: string): string {
    const segments = path.split('/');
    const at = segments.indexOf(`{${name}}`);
    const resource = segments[at - 1];
    const rest = segments.slice(at + 1).join('/');
    if (name === 'userId') return ids.secretary;
    if (name === 'index') return '0';
    if (name === 'year') return '2030';
    if (name === 'attachmentId') return ids.recordPhoto;
    if (name === 'fileId') return ids.caseFile;
    if (resource === 'activities') {
      if (/^(video|progress|watch|checkpoints|stream|video-url)/.test(rest)) return course.video.id;
      if (/^(reading|reflections|attachments)/.test(rest)) return course.reading.id;
      if (/^(attempts|quiz-stats)/.test(rest)) return course.quiz.id;
      if (/^threads/.test(rest)) return course.discussion.id;
      if (/^(check|attendance)/.test(rest)) return course.session.id;
      return course.quiz.id;
    }
    const byResource: Record<string, string> = {
      courses: ids.course,
      units: ids.unit,
      branches: ids.branch,
      users: ids.user,
      sections: ids.section,
      attempts: ids.attempt,
      reflections: ids.reflection,
      threads: ids.thread,
      posts: ids.post,
      suggestions: ids.suggestion,
      cases: ids.case,
      surveys: ids.survey,
      questions: ids.question,
      attachments: ids.attachment,
      records: ids.record,
      members: ids.member,
      rounds: ids.round,
    };
    return byResource[resource] ?? '1';
  }

  function resolve(schema: Schema | undefined, components: Record<string, Schema>, seen = 0): Schema {
    if (!schema || seen > 8) return {};
    if (schema.$ref) return resolve(components[schema.$ref.split('/').pop()!], components, seen + 1);
    const merged = schema.allOf?.map((part) => resolve(part, components, seen + 1));
    return merged ? Object.assign({}, ...merged, schema) : schema;
  }

  /** A plausible value of the schema's type, for the fields a case leaves alone. */
  function sample(schema: Schema): unknown {
    if (schema.enum?.length) return schema.enum[0];
    switch (schema.type) {
      case 'integer':
      case 'number':
        return 1;
      case 'boolean':
        return true;
      case 'array':
        return [];
      case 'object':
        return {};
      default:
        return schema.format === 'date-time' ? new Date().toISOString() : '测试';
    }
  }

  /** Values of the wrong type (and, for ids, bad ids) for a field of this schema. */
  function wrongValues(name: string, schema: Schema): unknown[] {
    const values: unknown[] = [null, { nested: { object: true } }, [['nested', 'array']]];
    if (schema.type !== 'string') values.push('不是数字', '');
    if (schema.type !== 'number' && schema.type !== 'integer') values.push(12345, -1.5, 1e308);
    if (schema.type !== 'boolean') values.push(true);
    if (schema.type === 'string' || schema.type === undefined) values.push('2026-13-45T99:99:99', 'x'.repeat(70_000), '\u0000\uFFFF\uD800');
    if (schema.type === 'number' || schema.type === 'integer') values.push(-1, 99999999999999999999, 0.0001);
    if (/ids?$/i.test(name)) values.push(...BAD_IDS, BAD_IDS, [12345]);
    if (schema.type === 'array') values.push(Array.from({ length: 2000 }, (_, i) => String(i)), [null, {}, []]);
    return values;
  }

  /** The bad requests for one operation (its path with real ids already in place is `base`). */
  function casesFor(method: string, path: string, operation: Operation, components: Record<string, Schema>): Case[] {
    const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path');
    const queryParams = (operation.parameters ?? []).filter((p) => p.in === 'query');
    const fill = (override: Record<string, string> = {}) =>
      path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(override[name] ?? realId(path, name)).replace(/%25/g, '%'));
    const base = fill();
    const content = operation.requestBody?.content ?? {};
    const jsonSchema = content['application/json'] ? resolve(content['application/json'].schema, components) : null;
    const multipart = Boolean(content['multipart/form-data']);
    const properties = Object.entries(jsonSchema?.properties ?? {}).map(([name, schema]) => [name, resolve(schema, components)] as const);
    const valid = Object.fromEntries(properties.map(([name, schema]) => [name, sample(schema)]));
    const json = (what: string, value: unknown, url = base): Case => ({ what, url, payload: JSON.stringify(value), contentType: 'application/json' });
    const firstString = properties.find(([, schema]) => schema.type === 'string')?.[0] ?? 'title';

    const cases: Case[] = [];
    for (const param of pathParams) for (const bad of BAD_IDS) cases.push({ ...json(`path ${param.name}=${bad.slice(0, 30)}`, valid), url: fill({ [param.name]: bad }) });
    for (const param of queryParams) {
      for (const bad of BAD_QUERY_VALUES) cases.push({ ...json(`query ${param.name}=${bad.slice(0, 30)}`, valid), url: `${base}?${param.name}=${encodeURIComponent(bad)}` });
      cases.push({ ...json(`query ${param.name} twice`, valid), url: `${base}?${param.name}=1&${param.name}=2` });
    }
    cases.push({ ...json('unknown query values', valid), url: `${base}?page=-1&pageSize=abc&q=%27&format=exe` });

    // GET and DELETE carry no body: their cases are the path and the query.
    if (method === 'GET' || method === 'DELETE') return cases;
    for (const [name, schema] of properties) {
      for (const wrong of wrongValues(name, schema)) cases.push(json(`body ${name}=${JSON.stringify(wrong)?.slice(0, 40)}`, { ...valid, [name]: wrong }));
    }
    for (const name of jsonSchema?.required ?? []) {
      const { [name]: _, ...rest } = valid;
      cases.push(json(`body without required ${name}`, rest));
    }
    // Bodies for every route, schema or not (some routes' bodies are not in the document).
    const huge = (bytes: number) => json(`body ${firstString} of ${bytes} bytes`, { ...valid, [firstString]: 'a'.repeat(bytes) });
    cases.push(
      huge(bodyLimit - 1024),
      huge(bodyLimit + 1024),
      json('empty object', {}),
      json('unknown field', { ...valid, notAField: 1, __proto__x: 1 }),
      json('array body', [valid]),
      json('string body', '文本'),
      json('null body', null),
      json(`body nested ${MAX_JSON_DEPTH * 100} levels`, JSON.parse('{"a":'.repeat(MAX_JSON_DEPTH * 100) + '1' + '}'.repeat(MAX_JSON_DEPTH * 100))),
      json('wide body (20,000 keys)', Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]))),
      { what: 'truncated JSON', url: base, payload: JSON.stringify(valid).slice(0, -1) || '{', contentType: 'application/json' },
      { what: 'empty body with a JSON content type', url: base, payload: '', contentType: 'application/json' },
      { what: 'text/plain body', url: base, payload: JSON.stringify(valid), contentType: 'text/plain' },
      { what: 'form-encoded body', url: base, payload: 'title=x&__proto__=y&a[b]=c', contentType: 'application/x-www-form-urlencoded' },
      { what: 'unknown content type', url: base, payload: '<xml/>', contentType: 'application/xml' },
      { what: 'multipart body', url: base, ...multipartCase(multipartFile('file', 'x.csv', '工号,姓名\n1,张三\n')) },
    );
    if (multipart) {
      const form = multipartFile('file', 'upload.bin', Buffer.alloc(4096, 1));
      cases.push(
        { what: 'multipart cut mid-file', url: base, ...multipartCase(form, form.payload.subarray(0, form.payload.length - 100)) },
        { what: 'multipart, wrong field', url: base, ...multipartCase(multipartFile('other', 'x.bin', 'x')) },
        { what: 'multipart, empty file', url: base, ...multipartCase(multipartFile('file', 'x.bin', '')) },
        { what: 'multipart without boundary', url: base, payload: 'x', contentType: 'multipart/form-data' },
        { what: 'multipart, only the closing boundary', url: base, payload: '--b--\r\n', contentType: 'multipart/form-data; boundary=b' },
      );
    }
    return cases;
  }

  function multipartCase(form: { payload: Buffer; headers: Record<string, string> }, payload = form.payload) {
    return { payload, contentType: form.headers['content-type'] };
  }

  it('answers every generated bad request with a status below 500', async () => {
    const document = (await t.get('/api/docs-json')).json() as { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };
    const components = document.components?.schemas ?? {};
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
    );
    const rank = (op: { method: string; path: string }) => (op.path === '/api/me/password' ? 3 : op.method === 'DELETE' ? 2 : LATE.test(op.path) ? 1 : 0);
    operations.sort((a, b) => rank(a) - rank(b));
    expect(operations.length).toBeGreaterThan(100);

    const failures: string[] = [];
    let sent = 0;
    for (const { method, path, operation } of operations) {
      const cases = casesFor(method, path, operation, components);
      for (const who of ['secretary', 'admin'] as const) {
        // One operation's cases at a time, several in flight: the app sees concurrent bad input too.
        for (let i = 0; i < cases.length; i += 8) {
          await Promise.all(
            cases.slice(i, i + 8).map(async (c) => {
              const response = await t.request({
                method: method as 'GET',
                url: c.url,
                token: tokens[who],
                ...(method === 'GET' || method === 'DELETE' ? {} : { payload: c.payload, headers: c.contentType ? { 'content-type': c.contentType } : {} }),
              });
              sent++;
              if (response.statusCode >= 500) {
                failures.push(`${method} ${path} as ${who}, ${c.what} (${c.url.slice(0, 120)}): ${response.statusCode} ${response.body.slice(0, 200)}`);
              }
            }),
          );
        }
      }
    }
    expect(sent).toBeGreaterThan(5000);
    expect(failures).toEqual([]);
  }, 240_000);
});
