import { Logger } from '@nestjs/common';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { CaseFile } from '../../src/cases/case-file.entity';
import { MAX_JSON_DEPTH, MAX_JSON_KEYS } from '../../src/common/json-body';
import { ReadingAttachment } from '../../src/readings/reading-attachment.entity';
import { User } from '../../src/users/user.entity';
import { VideoFile } from '../../src/videos/video-file.entity';
import { buildCourse, BuiltCourse } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { createTestApp, TestApp } from '../support/test-app';

/** `{"a":{"a":…1…}}` nested `levels` deep. */
const nestedObject = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
/** A body whose `field` holds arrays nested `levels` deep. */
const nestedInField = (field: string, levels: number) => `{"${field}":${'['.repeat(levels)}${']'.repeat(levels)}}`;

interface RawAnswer {
  status: number | null;
  body: string;
}

/**
 * Sends `head` and `body` over a real socket to the listening app. With `cut`, the connection is half-closed
 * after the bytes (the client dies mid-upload, Content-Length promising more); without, it is a complete HTTP
 * message. Resolves with the status line's code (null if the server closed without answering).
 */
function rawRequest(port: number, head: string, body: Buffer, cut = false): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      resolve({ status: status ? Number(status) : null, body: received.slice(received.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(head);
    socket.write(body);
    if (cut) socket.end();
  });
}

describe('bad request bodies: deep JSON and cut-off uploads never answer 500 (e2e)', () => {
  let t: TestApp;
  let adminToken: string;
  let port: number;
  let course: BuiltCourse;
  /** A case and its author, for the case files' upload. */
  let caseOf: { id: string; token: string };
  const serverErrors: unknown[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.getHttpServer().address() as { port: number }).port;
    const admin = await makeUser(t.dataSource, { role: 'admin' });
    adminToken = await t.login(admin.username);
    course = await buildCourse(t, adminToken, { publish: false });
    const secretary = await t.login((await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) })).username);
    caseOf = { id: (await t.post('/api/cases', { title: '截断上传', body: '做法。', tags: [] }, secretary)).json().id, token: secretary };
    // The exception filter logs every 5xx: a cut connection has no answer to look at, the log tells.
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void serverErrors.push(message));
  });
  beforeEach(() => (serverErrors.length = 0));
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  describe('a JSON body nested thousands of levels deep', () => {
    const routes: Array<[method: 'POST' | 'PATCH', path: string, field: string]> = [
      ['POST', '/api/units', 'name'],
      ['POST', '/api/branches', 'name'],
      ['POST', '/api/users', 'name'],
      ['POST', '/api/courses', 'title'],
      ['POST', '/api/me/password', 'currentPassword'],
      ['PATCH', '/api/me', 'name'],
      ['PATCH', '/api/me/preferences', 'weeklyDigest'],
      ['POST', '/api/courses/:course/activities', 'questions'],
      ['POST', '/api/activities/:video/progress', 'from'],
    ];
    const resolve = (path: string) => path.replace(':course', course.id).replace(':video', course.video.id);

    it.each(routes)('%s %s answers 400 BODY_TOO_DEEP, in Chinese', async (method, path, field) => {
      for (const payload of [nestedObject(5000), nestedInField(field, 5000), nestedObject(MAX_JSON_DEPTH + 1)]) {
        const response = await t.request({ method, url: resolve(path), token: adminToken, headers: { 'content-type': 'application/json' }, payload });
        expect({ status: response.statusCode, code: response.json().code }).toEqual({ status: 400, code: 'BODY_TOO_DEEP' });
        expect(response.json().message).toBe(`请求体嵌套超过 ${MAX_JSON_DEPTH} 层，无法处理`);
      }
      expect(serverErrors).toEqual([]);
    });

    it('lets a body exactly at the bound through to validation, and real nested bodies (quiz questions) work', async () => {
      const atBound = await t.request({ method: 'POST', url: '/api/units', token: adminToken, headers: { 'content-type': 'application/json' }, payload: nestedInField('name', MAX_JSON_DEPTH - 1) });
      expect(atBound.statusCode).toBe(400);
      expect(atBound.json().code).not.toBe('BODY_TOO_DEEP');

      const quiz = await t.post(
        `/api/courses/${course.id}/activities`,
        {
          type: 'quiz',
          sectionId: course.sectionId,
          title: `测验${uniq()}`,
          creditHours: 1,
          passPercent: 60,
          maxAttempts: 2,
          questions: [{ kind: 'multiple', prompt: '以下哪些属于三会一课？', options: ['支部党员大会', '党课', '茶话会'], answer: [0, 1] }],
        },
        adminToken,
      );
      expect(quiz.statusCode).toBe(201);
    });

    it('answers an object of more keys than the bound with 400 BODY_TOO_WIDE, at once', async () => {
      const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])));
      const started = Date.now();
      const response = await t.request({ method: 'POST', url: '/api/units', token: adminToken, headers: { 'content-type': 'application/json' }, payload: wide });
      expect(response.json()).toMatchObject({ statusCode: 400, code: 'BODY_TOO_WIDE', message: `请求体中的一个对象超过 ${MAX_JSON_KEYS} 个字段，无法处理` });
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('answers malformed and empty JSON with 400 and a code, over a real socket too', async () => {
      const malformed = await t.request({ method: 'POST', url: '/api/units', token: adminToken, headers: { 'content-type': 'application/json' }, payload: '{"name":"党委' });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json()).toMatchObject({ code: 'INVALID_JSON', message: '提交的内容格式不正确，无法读取' });
      const empty = await t.request({ method: 'POST', url: '/api/units', token: adminToken, headers: { 'content-type': 'application/json' }, payload: '' });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().code).toBe('EMPTY_BODY');
      const poisoned = await t.request({ method: 'POST', url: '/api/units', token: adminToken, headers: { 'content-type': 'application/json' }, payload: '{"__proto__":{"x":1}}' });
      expect(poisoned.json().code).toBe('INVALID_JSON');

      const deep = Buffer.from(nestedObject(20000));
      const overSocket = await rawRequest(
        port,
        `POST /api/units HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${adminToken}\r\nContent-Type: application/json\r\nContent-Length: ${deep.length}\r\nConnection: close\r\n\r\n`,
        deep,
      );
      expect(overSocket.status).toBe(400);
      expect(JSON.parse(overSocket.body).code).toBe('BODY_TOO_DEEP');
      expect(serverErrors).toEqual([]);
    });
  });

  describe('a multipart upload cut off mid-body', () => {
    const storageFiles = (prefix: string): string[] => {
      try {
        return readdirSync(join(process.env.STORAGE_DIR!, prefix));
      } catch {
        return [];
      }
    };

    /** Each upload route, with what it would write if the upload got through. */
    const uploads = () => [
      {
        name: 'roster import',
        url: '/api/users/import',
        file: () => {
          const username = `CUT${uniq()}`;
          return { content: Buffer.from(`工号,姓名\r\n${username},截断${'测'.repeat(3000)}\r\n`), written: async () => t.dataSource.getRepository(User).countBy({ username }) };
        },
      },
      {
        name: 'video upload',
        url: `/api/activities/${course.video.id}/video`,
        file: () => ({
          content: Buffer.alloc(64 * 1024, 7),
          written: async () => (await t.dataSource.getRepository(VideoFile).countBy({ activityId: course.video.id })) + storageFiles(`videos/${course.video.id}`).length,
        }),
      },
      {
        name: 'reading attachment',
        url: `/api/activities/${course.reading.id}/attachments`,
        file: () => ({
          content: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(64 * 1024, 32)]),
          written: async () =>
            (await t.dataSource.getRepository(ReadingAttachment).countBy({ activityId: course.reading.id })) + storageFiles(`readings/${course.reading.id}`).length,
        }),
      },
      {
        name: 'case file',
        url: `/api/cases/${caseOf.id}/files`,
        token: caseOf.token,
        file: () => ({
          content: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(64 * 1024, 32)]),
          written: async () => (await t.dataSource.getRepository(CaseFile).countBy({ caseId: caseOf.id })) + storageFiles(`cases/${caseOf.id}`).length,
        }),
      },
    ];

    it('answers 400 UPLOAD_INCOMPLETE and writes nothing, for every upload route (in-process and over a socket)', async () => {
      for (const upload of uploads()) {
        const { content, written } = upload.file();
        const form = multipartFile('file', 'upload.bin', content);
        const cutBody = form.payload.subarray(0, form.payload.length - 200);

        const token = 'token' in upload ? upload.token : adminToken;
        const injected = await t.request({ method: 'POST', url: upload.url, token, headers: form.headers, payload: cutBody });
        expect({ route: upload.name, status: injected.statusCode, code: injected.json().code }).toEqual({ route: upload.name, status: 400, code: 'UPLOAD_INCOMPLETE' });
        expect(injected.json().message).toBe('上传未完成：收到的文件内容不完整，请重新上传');

        // A complete HTTP message (chunked) whose form ends mid-part.
        const head = `POST ${upload.url} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${form.headers['content-type']}\r\nConnection: close\r\n`;
        const chunked = await rawRequest(port, `${head}Transfer-Encoding: chunked\r\n\r\n`, Buffer.concat([Buffer.from(`${cutBody.length.toString(16)}\r\n`), cutBody, Buffer.from('\r\n0\r\n\r\n')]));
        expect({ route: upload.name, status: chunked.status }).toEqual({ route: upload.name, status: 400 });
        expect(JSON.parse(chunked.body).code).toBe('UPLOAD_INCOMPLETE');

        // The client goes away mid-file: Content-Length promised the whole form.
        const cut = await rawRequest(port, `${head}Content-Length: ${form.payload.length}\r\n\r\n`, cutBody, true);
        expect([400, null]).toContain(cut.status);

        expect({ route: upload.name, written: await written() }).toEqual({ route: upload.name, written: 0 });
      }
      expect(serverErrors).toEqual([]);
      // The server is unharmed: a whole roster still imports.
      const whole = multipartFile('file', 'roster.csv', `工号,姓名\r\nOK${uniq()},完整\r\n`);
      expect((await t.request({ method: 'POST', url: '/api/users/import', token: adminToken, ...whole })).statusCode).toBe(200);
    });
  });
});
