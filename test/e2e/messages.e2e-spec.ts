import { makeUser } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * What the framework itself refuses (bad JSON, an unknown route, a wrong content type, a body too large)
 * answers like everything else: a stable code for the web, and a Chinese message, never Fastify's English.
 */
describe('refusals in Chinese with a stable code (e2e)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
  });
  afterAll(() => t.close());

  const post = (headers: Record<string, string>, payload: string) => t.request({ method: 'POST', url: '/api/units', token, headers, payload });

  function expectChinese(body: { message: string | string[] }): void {
    for (const text of [body.message].flat()) {
      expect(text).toMatch(/\p{Script=Han}/u);
      expect(text).not.toMatch(/[A-Za-z]{3,}/);
    }
  }

  it.each([
    ['malformed JSON', { 'content-type': 'application/json' }, '{"name": ', 400, 'INVALID_JSON'],
    ['an empty JSON body', { 'content-type': 'application/json' }, '', 400, 'EMPTY_BODY'],
    ['a content type the API does not read', { 'content-type': 'text/csv' }, 'name,code', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a body over the limit', { 'content-type': 'application/json' }, JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), code: 'BIG' }), 413, 'PAYLOAD_TOO_LARGE'],
  ])('%s', async (_what, headers, payload, status, code) => {
    const response = await post(headers, payload);
    expect({ status: response.statusCode, code: response.json().code }).toEqual({ status, code });
    expectChinese(response.json());
  });

  it('an unknown route', async () => {
    const response = await t.get('/api/nothing-here', token);
    expect(response.json()).toEqual({ statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: '要找的内容不存在' });
  });

  it('a route schema’s findings as input problems', async () => {
    const response = await t.request({ method: 'POST', url: '/api/activities/1/progress', token, payload: { from: 'x' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'from', rule: 'number' })]));
    expectChinese(response.json());
  });
});
