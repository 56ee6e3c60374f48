import Fastify from 'fastify';
import helmet, { HelmetOptions } from 'helmet';
import { useSecurityHeaders } from './security-headers';

/** The headers a response gets from useSecurityHeaders, and from helmet run on that very request. */
async function headersBoth(options: HelmetOptions): Promise<{ replayed: Record<string, unknown>; helmet: Record<string, unknown> }> {
  const replayedApp = Fastify();
  useSecurityHeaders(replayedApp, options);
  replayedApp.get('/', async () => ({ ok: true }));
  const direct = helmet(options);
  const helmetApp = Fastify();
  helmetApp.addHook('onRequest', (request, reply, done) => direct(request.raw, reply.raw, () => done()));
  helmetApp.get('/', async () => ({ ok: true }));
  const [replayed, byHelmet] = await Promise.all([replayedApp.inject('/'), helmetApp.inject('/')]);
  await Promise.all([replayedApp.close(), helmetApp.close()]);
  const strip = ({ date: _date, ...rest }: Record<string, unknown>) => rest;
  return { replayed: strip(replayed.headers), helmet: strip(byHelmet.headers) };
}

describe('useSecurityHeaders', () => {
  it('gives each response exactly the headers helmet gives it', async () => {
    const { replayed, helmet: expected } = await headersBoth({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'] } } });
    expect(replayed).toEqual(expected);
    expect(replayed['content-security-policy']).toContain("img-src 'self' data:");
    expect(replayed['strict-transport-security']).toBeDefined();
    expect(replayed['x-powered-by']).toBeUndefined();
  });

  it('asks helmet on every request when a CSP directive depends on the request', async () => {
    let calls = 0;
    const nonce = () => `'nonce-${++calls}'`;
    const app = Fastify();
    useSecurityHeaders(app, { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", nonce] } } });
    app.get('/', async () => ({ ok: true }));
    const first = await app.inject('/');
    const second = await app.inject('/');
    await app.close();
    expect(first.headers['content-security-policy']).toContain("script-src 'self' 'nonce-1'");
    expect(second.headers['content-security-policy']).toContain("script-src 'self' 'nonce-2'");
  });
});
