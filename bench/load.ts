import { Agent, request } from 'node:http';

/**
 * A load generator in its own process (so it does not share the server's event loop): reads a job from
 * stdin — target URLs, bodies, tokens, mode — fires requests, and prints {count, seconds, errors, p50, p99}.
 * Requests go over a fixed pool of keep-alive connections (as a reverse proxy would send them), opened before
 * the clock starts: otherwise every hiccup opens new TCP connections and the tail measures connection churn,
 * for the bare baseline as much as for the real endpoint.
 */

interface LoadJob {
  mode: 'closed' | 'paced';
  urls: string[];
  tokens: string[];
  seconds: number;
  concurrency: number;
  perSecond: number;
  /** Span start per request number: keeps every learner's reports moving forward by 15 s. */
  learners: number;
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const job = JSON.parse(Buffer.concat(chunks).toString()) as LoadJob;
  let step = 0;
  let errors = 0;
  let firstError: string | null = null;
  const latencies: number[] = [];
  const fire = async () => {
    const i = step++ % job.learners;
    const from = 5 + Math.floor(step / job.learners) * 15;
    const started = performance.now();
    try {
      const status = await post(job.urls[i], job.tokens[i], JSON.stringify({ from, to: from + 15, deviceId: 'bench' }));
      if (status >= 400) errors++;
    } catch (error) {
      errors++;
      firstError ??= String(error);
    }
    latencies.push(performance.now() - started);
  };
  // Open the pool's connections before measuring.
  await Promise.all(Array.from({ length: POOL }, () => post(job.urls[0], job.tokens[0], JSON.stringify({ from: 0, to: 0, deviceId: 'bench' })).catch(() => 0)));
  latencies.length = 0;
  const started = performance.now();
  if (job.mode === 'closed') {
    const end = started + job.seconds * 1000;
    await Promise.all(Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < end) await fire();
    }));
  } else {
    const inflight: Promise<void>[] = [];
    const total = job.perSecond * job.seconds;
    for (let n = 0; n < total; n++) {
      const wait = started + (n * 1000) / job.perSecond - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      inflight.push(fire());
    }
    await Promise.all(inflight);
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  process.stdout.write(JSON.stringify({ count: latencies.length, seconds, errors, firstError, p50: at(0.5), p99: at(0.99) }));
}

const POOL = 64;
const agent = new Agent({ keepAlive: true, maxSockets: POOL });

function post(url: string, token: string | undefined, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

void main();
