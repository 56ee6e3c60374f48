import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { VALIDATION_PIPE_OPTIONS } from './common/validation-errors';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { boundedJsonParser, CallbackBodyParser } from './common/json-body';
import { useSecurityHeaders } from './common/security-headers';
import { drainOnClose } from './common/shutdown-drain';
import { AppConfig } from './config/config';
import { mountQueueBoard } from './jobs/queue-board';

export const API_PREFIX = 'api';

/**
 * Builds the HTTP application exactly as production runs it; the e2e tests use this too, so they exercise
 * the real pipes, filters, prefix and plugins.
 */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: true,
    // Routes with a Fastify JSON schema (the hot progress route) refuse what the ValidationPipe refuses
    // elsewhere: no "5" taken for 5, no unknown properties silently dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
  });
  drainOnClose(adapter.getInstance(), config.http.shutdownDrainSeconds);
  // Callers (and support staff) can quote the id that every log line of their request carries.
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.withConfig(config), adapter, { bufferLogs: true });
  // Replaces Nest's JSON parser for every route: same parsing, plus a bound on nesting depth.
  const fastifyJsonParser = adapter.getInstance().getDefaultJsonParser('error', 'error') as CallbackBodyParser<string>;
  app.useBodyParser('application/json', { bodyLimit: config.http.bodyLimitBytes }, boundedJsonParser(fastifyJsonParser));
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX);
  app.enableShutdownHooks();
  app.enableCors({ origin: config.http.corsOrigins.length ? config.http.corsOrigins : false, credentials: true });
  useSecurityHeaders(app.getHttpAdapter().getInstance(), {
    // The OpenAPI UI needs inline scripts and styles.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
      },
    },
  });
  await app.register(multipart, { limits: { fileSize: config.http.uploadLimitBytes, files: 1, fields: 20 } });
  await serveWebInterface(app);
  await mountQueueBoard(app);
  app.useGlobalPipes(new ValidationPipe(VALIDATION_PIPE_OPTIONS));
  app.useGlobalFilters(new HttpExceptionFilter());

  SwaggerModule.setup(`${API_PREFIX}/docs`, app, openApiDocument(app), { jsonDocumentUrl: `${API_PREFIX}/docs-json` });
  return app;
}

/**
 * The OpenAPI document of the app's routes (under the API prefix, which the app must already have). The web
 * app's client is generated from it (`npm run openapi` writes it without starting a server).
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('党支部书记培训平台 API')
      .setDescription('Branch-secretary training platform: identity, organization, courses, learning, reports.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}

/**
 * The built web interface (web/ → dist/web by `npm run build`): every GET outside /api answers a file of the
 * build or, for the single-page app's own paths, its index.html. /api stays Nest's: an unknown /api path
 * still gets Nest's 404. The pages get a stricter CSP than the API docs (no inline scripts or styles).
 */
async function serveWebInterface(app: NestFastifyApplication): Promise<void> {
  const root = findWebRoot();
  const fastify = app.getHttpAdapter().getInstance();
  if (root) await app.register(fastifyStatic, { root, serve: false, wildcard: false });

  fastify.get('/*', (request, reply) => {
    let path: string;
    try {
      path = decodeURIComponent(request.url.split('?')[0]);
    } catch {
      return reply.callNotFound();
    }
    if (path === `/${API_PREFIX}` || path.startsWith(`/${API_PREFIX}/`)) return reply.callNotFound();
    if (!root) {
      return reply.code(404).type('text/plain; charset=utf-8').send('The web interface is not built: run `npm run build`.\n');
    }
    const csp = reply.getHeader('content-security-policy');
    if (typeof csp === 'string') {
      void reply.header('content-security-policy', csp.replace(/ 'unsafe-inline'/g, ''));
    }
    const file = normalize(path).replace(/^([/\\])+/, '');
    const full = join(root, file);
    if (file && !file.startsWith('..') && full.startsWith(root + sep) && isFile(full)) {
      // Vite names assets by content hash: cache them for good; everything else is checked each time.
      const immutable = file.startsWith(`assets${sep}`);
      return reply.sendFile(file, { maxAge: immutable ? '365d' : 0, immutable, cacheControl: true });
    }
    // Unknown files (with an extension) are 404s; any other path is a page of the app.
    if (/\.[a-z0-9]{1,8}$/i.test(file)) return reply.callNotFound();
    void reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** dist/web beside the compiled code (dist/src → dist/web) or, when run from sources (tests), the repo's dist/web. */
function findWebRoot(): string | null {
  const candidates = [process.env.WEB_DIR, join(__dirname, '..', 'web'), join(__dirname, '..', 'dist', 'web')];
  for (const dir of candidates) {
    // The manifest marks a Vite build (web/ itself holds the sources' index.html).
    if (dir && existsSync(join(dir, '.vite', 'manifest.json'))) return normalize(dir);
  }
  return null;
}
