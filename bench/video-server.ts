import 'reflect-metadata';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app.setup';
import { loadConfig } from '../src/config/config';
import { WATCH_SCRIPT } from '../src/videos/watch-script';

/**
 * One server of the video bench in a process of its own (`node video-server.js app|bare <activityId>`), so
 * neither the other server nor the bench's own set-up shares its event loop or heap: the real API as
 * production builds it, or the bare Fastify + ioredis endpoint running the same Lua script with the same
 * arguments on keys of the same shapes. Prints `{"port": n}` once listening; closes when stdin ends.
 */
export const BARE_PREFIX_SUFFIX = '-bare';

export const bareKeys = (activityId: string, learner: string) => ({
  watch: `vw:${activityId}:${learner}`,
  learner: `vl:${learner}`,
  dirty: 'vw:dirty',
  context: 'vw:ctx:bare',
  playback: `vp:${activityId}:${learner}`,
});

async function main(): Promise<void> {
  const [kind, activityId] = process.argv.slice(2);
  const config = loadConfig(process.env);
  let close: () => Promise<unknown>;
  let port: number;
  if (kind === 'app') {
    const app = await createApp(config);
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.getHttpServer().address() as AddressInfo).port;
    close = () => app.close();
  } else {
    const redis = new Redis(config.redis.url, { keyPrefix: `${config.redis.prefix}${BARE_PREFIX_SUFFIX}:` });
    redis.defineCommand('watchReport', { numberOfKeys: 5, lua: WATCH_SCRIPT });
    const watchReport = (redis as unknown as { watchReport: (...a: unknown[]) => Promise<unknown> }).watchReport.bind(redis);
    const bare = Fastify();
    // The app's arguments: maxPlaybackRate 2, DEVICE_IDLE_MS, PLAYBACK_IDLE_SECONDS, MAX_REPORT_WINDOW_SECONDS,
    // SLACK_SECONDS, the dirty-set member, WATCH_TTL_SECONDS and the activity id.
    bare.post('/report/:learner', async (request) => {
      const learner = (request.params as { learner: string }).learner;
      const body = request.body as { from: number; to: number; deviceId: string };
      const k = bareKeys(activityId, learner);
      return watchReport(k.watch, k.learner, k.dirty, k.context, k.playback, body.from, body.to, 0, 2, body.deviceId, 45000, 300, 120, 2, `${activityId}:${learner}`, 14 * 24 * 3600, activityId);
    });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    port = (bare.server.address() as AddressInfo).port;
    close = async () => {
      await bare.close();
      redis.disconnect();
    };
  }
  process.stdout.write(JSON.stringify({ port }) + '\n');
  process.stdin.resume();
  process.stdin.on('end', () => {
    void close().then(() => process.exit(0));
  });
}

if (require.main === module) {
  void main().catch((error: Error) => {
    console.error(error);
    process.exit(1);
  });
}
