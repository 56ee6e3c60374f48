import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { appConfig, ConfigError, usingDevJwtSecret } from './config/config';
import { ensureDatabase } from './database/ensure-database';
import { connectRedis } from './redis/redis';
import { createApp } from './app.setup';
import { exitIfStillRunningAfter, SHUTDOWN_CLOSE_SECONDS } from './common/shutdown-drain';

async function bootstrap(): Promise<void> {
  const config = appConfig();
  // Fail fast, with the fix, before Nest starts retrying connections.
  await ensureDatabase(config);
  (await connectRedis(config)).disconnect();

  const app = await createApp(config);
  // Connections are cut after SHUTDOWN_DRAIN_SECONDS (see drainOnClose); a few more for MySQL and Redis to close.
  exitIfStillRunningAfter(config.http.shutdownDrainSeconds + SHUTDOWN_CLOSE_SECONDS, 'The API');
  if (usingDevJwtSecret(config)) {
    new Logger('Bootstrap').warn('JWT_SECRET is not set: using the built-in development secret (never in production)');
  }
  await app.listen({ host: config.http.host, port: config.http.port });
  console.log(`API listening on ${config.http.publicUrl} (docs: ${config.http.publicUrl}/api/docs)`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Cannot start the API: ${(error as Error).message ?? error}`);
  process.exit(1);
});
