/**
 * The round-robin reverse proxy in front of the API processes for `npm run bench -- scaleout`, in its own
 * process: `node round-robin-proxy.js <port> <port>...` listens on a free port, prints `listening <port>`, sends
 * each request to the next API process in turn over keep-alive connections (as many as requests in flight, so
 * requests wait in the API processes, not here), and on SIGTERM prints
 * `{"upstreams": [{port, responses, byStatus}], "failures": n}` and exits.
 *
 * Why not a library (http-proxy, undici's proxy agent): this is a bench tool that has to count every response
 * per upstream and nothing else — no header rewriting, WebSockets or retries — which node:http does in a few
 * lines, and a proxy that retried or rewrote would hide exactly the errors the benchmark must count.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const ports = process.argv.slice(2).map(Number);
const upstreams = ports.map((port) => ({ port, responses: 0, byStatus: {} as Record<string, number>, agent: new Agent({ keepAlive: true }) }));
let next = 0;
let failures = 0;

const server = createServer((incoming, outgoing) => {
  const upstream = upstreams[next];
  next = (next + 1) % upstreams.length;
  const forwarded = request(
    { host: '127.0.0.1', port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers, agent: upstream.agent },
    (answer) => {
      upstream.responses++;
      const status = String(answer.statusCode);
      upstream.byStatus[status] = (upstream.byStatus[status] ?? 0) + 1;
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  // A socket error towards an API process is answered 502 and counted: the load generator counts it too.
  forwarded.on('error', (error) => {
    failures++;
    if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
    outgoing.end(`proxy: upstream ${upstream.port}: ${error.message}`);
  });
  incoming.pipe(forwarded);
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.once('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ upstreams: upstreams.map(({ port, responses, byStatus }) => ({ port, responses, byStatus })), failures })}\n`, () => process.exit(0));
});
