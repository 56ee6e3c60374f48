/**
 * The real API (createApp, as `npm start` runs it) in a process of its own, so a test can kill it with
 * SIGKILL. Run with `node -r ./test/support/swc-register.js test/support/api-process.ts`; listens on a free
 * port and prints `listening <port>`.
 */
import 'reflect-metadata';
import { appConfig } from '../../src/config/config';
import { createApp } from '../../src/app.setup';
import { exitIfStillRunningAfter, SHUTDOWN_CLOSE_SECONDS } from '../../src/common/shutdown-drain';

async function main(): Promise<void> {
  const config = appConfig();
  const app = await createApp(config);
  exitIfStillRunningAfter(config.http.shutdownDrainSeconds + SHUTDOWN_CLOSE_SECONDS, 'The API');
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.getHttpServer().address() as { port: number };
  console.log(`listening ${address.port}`);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
