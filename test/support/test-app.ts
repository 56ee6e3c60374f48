import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, Response } from 'light-my-request';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup';
import { AppConfig, appConfig } from '../../src/config/config';

export interface TestApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  /** Sends a request through the real HTTP stack (no socket). */
  request(options: InjectOptions & { token?: string }): Promise<Response>;
  get(url: string, token?: string): Promise<Response>;
  post(url: string, payload?: unknown, token?: string): Promise<Response>;
  patch(url: string, payload?: unknown, token?: string): Promise<Response>;
  put(url: string, payload?: unknown, token?: string): Promise<Response>;
  delete(url: string, token?: string): Promise<Response>;
  /** Signs in through POST /api/auth/login and returns the access token. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'password123';

/** The app on the tests' configuration, or on `config` (e.g. pointed at a proxy a test can take down). */
export async function createTestApp(config: AppConfig = appConfig()): Promise<TestApp> {
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const dataSource = app.get(DataSource);

  const request = ({ token, headers, ...options }: InjectOptions & { token?: string }) =>
    app.inject({
      ...options,
      headers: { ...(headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }) as unknown as Promise<Response>;

  return { app, dataSource, ...sentThrough(request), close: () => app.close() };
}

/** A TestApp's verbs and sign-in, every one sent through `request` (the app's own, or one wrapping it). */
export function sentThrough(request: TestApp['request']): Pick<TestApp, 'request' | 'get' | 'post' | 'patch' | 'put' | 'delete' | 'login'> {
  const withBody = (method: 'POST' | 'PATCH' | 'PUT') => (url: string, payload?: unknown, token?: string) =>
    request({ method, url, payload: payload as InjectOptions['payload'], token });

  return {
    request,
    get: (url, token) => request({ method: 'GET', url, token }),
    post: withBody('POST'),
    patch: withBody('PATCH'),
    put: withBody('PUT'),
    delete: (url, token) => request({ method: 'DELETE', url, token }),
    async login(username, password = TEST_PASSWORD) {
      const response = await request({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.statusCode} ${response.body}`);
      return response.json().accessToken as string;
    },
  };
}
