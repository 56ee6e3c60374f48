/**
 * `npm run admin:create -- --username <u> --password <p> [--name <name>]`: creates a department admin,
 * or resets that user's password (and makes them a department admin again).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { MIN_PASSWORD_LENGTH } from '../users/passwords';
import { appConfig } from '../config/config';
import { ensureDatabase } from '../database/ensure-database';
import { USERNAME } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { CliModule } from './cli.module';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { username: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
  });
  const usage = 'usage: npm run admin:create -- --username <username> --password <password> [--name <name>]';
  if (!values.username || !USERNAME.test(values.username)) throw new Error(`--username is required (letters, digits, _ . @ -)\n${usage}`);
  if (!values.password || values.password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`--password is required, at least ${MIN_PASSWORD_LENGTH} characters\n${usage}`);
  }
  await ensureDatabase(appConfig());
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
  try {
    const outcome = await app.get(UsersService).upsertDepartmentAdmin(values.username, values.name ?? '组织部管理员', values.password);
    console.log(outcome === 'created' ? `Created department admin ${values.username}.` : `Reset the password of ${values.username} (department admin).`);
  } finally {
    await app.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
