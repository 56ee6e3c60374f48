/**
 * `npm run openapi`: writes the API's OpenAPI document to web/src/api/openapi.json (or the path given as the
 * first argument), from which the web app's client is generated. The app is built in Nest's preview mode:
 * its routes and their metadata are read, no provider is created, so neither MariaDB nor Redis is needed.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import { API_PREFIX, openApiDocument } from '../app.setup';
import { appConfig, ConfigError } from '../config/config';

/** The repository's root, from the sources (src/cli) or the build (dist/src/cli). */
const ROOT = resolve(__dirname, __dirname.includes(`${join('dist', 'src')}`) ? '../../..' : '../..');

async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? join(ROOT, 'web', 'src', 'api', 'openapi.json'));
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.withConfig(appConfig()), new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  app.setGlobalPrefix(API_PREFIX);
  const document = openApiDocument(app);
  await app.close();
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`OpenAPI document (${Object.keys(document.paths).length} paths) written to ${target}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Cannot write the OpenAPI document: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
