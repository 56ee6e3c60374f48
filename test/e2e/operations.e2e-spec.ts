import { Controller, Get, Module } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Redis } from 'ioredis';
import { ACCESS_KEY } from '../../src/common/access.decorators';
import { AccessGuard } from '../../src/auth/access.guard';
import { JwtAuthGuard } from '../../src/auth/passport.guards';
import { REDIS } from '../../src/redis/redis';
import { makeUser } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';

describe('operations: health, docs, route declarations, errors (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('every registered route declares who may call it', () => {
    const undeclared: string[] = [];
    let routes = 0;
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as { prototype: Record<string, unknown>; name: string } | null;
        if (!controller) continue;
        for (const method of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = controller.prototype[method];
          if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
          routes++;
          const declared = Reflect.getMetadata(ACCESS_KEY, handler) ?? Reflect.getMetadata(ACCESS_KEY, controller);
          if (!declared) undeclared.push(`${controller.name}.${method} (${Reflect.getMetadata(PATH_METADATA, handler)})`);
        }
      }
    }
    expect(routes).toBeGreaterThan(10);
    expect(undeclared).toEqual([]);
  });

  it('refuses a route that forgot its declaration (deny by default)', async () => {
    @Controller('forgotten')
    class ForgottenController {
      @Get()
      open() {
        return { leaked: true };
      }
    }
    @Module({ controllers: [ForgottenController], providers: [{ provide: 'APP_GUARD', useValue: null }] })
    class ForgottenModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ForgottenModule] }).compile();
    const guard = new AccessGuard(t.app.get(Reflector), t.app.get(JwtAuthGuard));
    const handler = ForgottenController.prototype.open;
    const context = {
      getHandler: () => handler,
      getClass: () => ForgottenController,
      switchToHttp: () => ({ getRequest: () => ({ headers: {} }) }),
    };
    // The guard refuses at once (Nest answers the throw as any guard's refusal).
    let refusal: unknown;
    try {
      await guard.canActivate(context as never);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ status: 403, response: { code: 'ACCESS_UNDECLARED' } });
    await moduleRef.close();
  });

  it('GET /api/health answers 200 when MySQL and Redis answer', async () => {
    const response = await t.get('/api/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(
      expect.objectContaining({ status: 'ok', info: expect.objectContaining({ mysql: expect.objectContaining({ status: 'up' }), redis: { status: 'up' } }) }),
    );
  });

  it('serves the OpenAPI document and UI, and security headers', async () => {
    const doc = await t.get('/api/docs-json');
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths);
    for (const path of ['/api/auth/login', '/api/me', '/api/units', '/api/branches', '/api/users', '/api/health']) {
      expect(paths).toContain(path);
    }
    const ui = await t.get('/api/docs');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
    expect(doc.headers['x-content-type-options']).toBe('nosniff');
  });

  it('echoes a caller request id and answers unknown routes with 404 in the error shape', async () => {
    const response = await t.request({ method: 'GET', url: '/api/nothing-here', headers: { 'x-request-id': 'trace-123' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect(response.json()).toEqual(expect.objectContaining({ statusCode: 404, error: 'Not Found' }));
  });

  it('answers 413 for an oversized body and 404 for a malformed id, never 500', async () => {
    const admin = await makeUser(t.dataSource, { role: 'admin' });
    const token = await t.login(admin.username);
    const big = await t.request({
      method: 'POST',
      url: '/api/units',
      token,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), code: 'BIG' }),
    });
    expect(big.statusCode).toBe(413);
    expect((await t.get('/api/units/not-a-number', token)).statusCode).toBe(404);
  });
});

describe('health when a dependency is down (e2e)', () => {
  it('names Redis with 503 when Redis stops answering', async () => {
    const t = await createTestApp();
    try {
      t.app.get<Redis>(REDIS).disconnect();
      const response = await t.get('/api/health');
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toHaveProperty('redis');
      expect(response.json().error.redis.status).toBe('down');
      expect(response.json().details.mysql.status).toBe('up');
    } finally {
      await t.close().catch(() => undefined);
    }
  });

  it('names MySQL with 503 when the database stops answering', async () => {
    const t = await createTestApp();
    try {
      await t.dataSource.destroy();
      const response = await t.get('/api/health');
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toHaveProperty('mysql');
      expect(response.json().details.redis.status).toBe('up');
    } finally {
      await t.close().catch(() => undefined);
    }
  });
});
