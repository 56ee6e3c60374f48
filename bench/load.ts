import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';

/**
 * A load generator in its own process (so it shares no event loop with the servers it measures). It stays up
 * for the whole bench and takes one job per line on stdin — target URLs, tokens, mode — answering each with a
 * line {count, seconds, errors, p50, p99}: every run after the first finds it as warm as the one before, so
 * runs against the app and the bare server, interleaved, see the same client.
 * Requests go over a fixed pool of keep-alive connections per server (as a reverse proxy would send them),
 * opened before the clock starts: otherwise every hiccup opens new TCP connections and the tail measures
 * connection churn, for the bare baseline as much as for the real endpoint.
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

/** Request number per target, kept across jobs: each learner's spans keep moving forward from run to run. */
const steps = new Map<string, number>();

async function run(job: LoadJob): Promise<Record<string, unknown>> {
  const target = new URL(job.urls[0]).host;
  let step = steps.get(target) ?? 0;
  let errors = 0;
  let firstError: string | null = null;
  const latencies: number[] = [];
  const fire = async () => {
    const n = step++;
    const i = n % job.learners;
    const from = 5 + Math.floor(n / job.learners) * 15;
    const started = performance.now();
    try {
      const status = await post(job.urls[i], job.tokens[i], JSON.stringify({ from, to: from + 15, deviceId: 'bench' }));
      if (status >= 400) {
        errors++;
        firstError ??= `HTTP ${status}`;
      }
    } catch (error) {
      errors++;
      firstError ??= String(error);
    }
    latencies.push(performance.now() - started);
  };
  // Open (or reuse) the pool's connections before measuring: a span already reported adds nothing.
  await Promise.all(Array.from({ length: POOL }, () => post(job.urls[0], job.tokens[0], JSON.stringify({ from: 0, to: 0, deviceId: 'bench' })).catch(() => 0)));
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
  steps.set(target, step);
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: latencies.length, seconds, errors, firstError, p50: at(0.5), p99: at(0.99) };
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

async function main(): Promise<void> {
  // Jobs one at a time, in order.
  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    process.stdout.write(JSON.stringify(await run(JSON.parse(line) as LoadJob)) + '\n');
  }
  agent.destroy();
}

void main();
