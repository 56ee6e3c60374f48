import type { FastifyInstance } from 'fastify';

/** After the drain, time enough to close MySQL and Redis connections. */
export const SHUTDOWN_CLOSE_SECONDS = 5;

/**
 * How the API lets go on SIGTERM (Nest's shutdown hook closes Fastify): no new connections, idle keep-alive
 * connections closed at once (a browser or proxy may hold one for minutes), requests in flight finished and
 * answered with `Connection: close` so their sockets close with the answer, and after `drainSeconds` whatever
 * is still open closed, so a stuck request cannot hold the process either.
 */
export function drainOnClose(fastify: FastifyInstance, drainSeconds: number): void {
  let draining = false;
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) void reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('preClose', (done) => {
    draining = true;
    fastify.server.closeIdleConnections();
    setTimeout(() => fastify.server.closeAllConnections(), drainSeconds * 1000).unref();
    done();
  });
}

/**
 * The last resort on SIGTERM or SIGINT: if closing (requests or jobs in flight, then MySQL, Redis) has not ended
 * the process `seconds` later, exit anyway, with a message. What was cut off is safe to repeat: an HTTP client
 * got no answer, and a job's lock lapses and another worker runs it again.
 */
export function exitIfStillRunningAfter(seconds: number, what: string): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        console.error(`${what} was still shutting down ${seconds} s after ${signal}: exiting now`);
        process.exit(1);
      }, seconds * 1000).unref();
    });
  }
}
