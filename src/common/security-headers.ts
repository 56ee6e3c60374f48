import type { FastifyInstance } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

type Change = { set: [name: string, value: string] } | { remove: string };

/**
 * helmet's security headers on every response. helmet builds its middleware (and parses the CSP) once, here;
 * @fastify/helmet rebuilt it on every request, which cost the hot video-progress route a tenth of its time.
 * With options that depend on nothing of the request (no CSP directive given as a function, e.g. a nonce),
 * helmet's answer is the same for every request, so it is taken once and replayed: the same headers without
 * helmet's dozen middleware calls per request.
 */
export function useSecurityHeaders(fastify: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const setHeaders = helmet(options);
  const changes = dependsOnRequest(options) ? null : recordedChanges(setHeaders);
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!changes) {
      // helmet sets the headers synchronously (and throws rather than passing errors on since 8.1).
      setHeaders(request.raw, reply.raw, () => done());
      return;
    }
    for (const change of changes) {
      if ('set' in change) reply.raw.setHeader(change.set[0], change.set[1]);
      else reply.raw.removeHeader(change.remove);
    }
    done();
  });
}

function dependsOnRequest(options: Readonly<HelmetOptions>): boolean {
  const csp = options.contentSecurityPolicy;
  const directives = csp && typeof csp === 'object' ? (csp.directives ?? {}) : {};
  return Object.values(directives).some((value) => typeof value === 'function' || (Array.isArray(value) && value.some((v) => typeof v === 'function')));
}

/** The header changes helmet makes to a response, in its order. */
function recordedChanges(setHeaders: ReturnType<typeof helmet>): Change[] {
  const changes: Change[] = [];
  const response = {
    setHeader: (name: string, value: string) => changes.push({ set: [name, value] }),
    removeHeader: (name: string) => changes.push({ remove: name }),
  };
  let finished = false;
  setHeaders({} as IncomingMessage, response as unknown as ServerResponse, () => (finished = true));
  if (!finished) throw new Error('helmet did not finish synchronously');
  return changes;
}
