import { Agent, request } from 'node:http';

/**
 * The learners of `npm run bench -- scaleout`, in a process of their own (so they do not share an event loop
 * with anything measured): reads a job from stdin, runs every learner for `seconds`, and prints the samples
 * of every request, the learners' last watched seconds and answered reports and this process's own CPU time as JSON.
 *
 * Each learner starts at its place in the first `staggerSeconds`: opens the home page, presses play
 * (POST /api/activities/:id/play), then reports the 15 s it watched every 15 s after that (POST …/progress,
 * timed from the play answer, so no report claims more than real time) and opens a page now and then (home,
 * course or notifications, on average every `pageEverySeconds`), with the requests the web app sends for it.
 */

interface LoadJob {
  baseUrl: string;
  activityId: string;
  courseId: string;
  tokens: string[];
  seconds: number;
  staggerSeconds: number;
  reportEverySeconds: number;
  pageEverySeconds: number;
  sockets: number;
}

/** What the web app requests for each page (src of the calls: web/src/features/home, learning, notifications). */
const PAGES: Record<string, Array<{ kind: string; path: (job: LoadJob) => string }>> = {
  home: [
    { kind: 'GET /me/todo', path: () => '/api/me/todo' },
    { kind: 'GET /me/notifications (unread count)', path: () => '/api/me/notifications?unread=true&pageSize=1' },
  ],
  course: [
    { kind: 'GET /courses/:id', path: (job) => `/api/courses/${job.courseId}` },
    { kind: 'GET /courses/:id/progress', path: (job) => `/api/courses/${job.courseId}/progress` },
  ],
  notifications: [
    { kind: 'GET /me/notifications', path: () => '/api/me/notifications?page=1&pageSize=20' },
    { kind: 'GET /me/notifications (unread count)', path: () => '/api/me/notifications?unread=true&pageSize=1' },
  ],
};
const PAGE_NAMES = Object.keys(PAGES);

/** [kind index, start (epoch ms), latency (ms), status (0: socket error)] */
type Sample = [number, number, number, number];

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const job = JSON.parse(Buffer.concat(chunks).toString()) as LoadJob;
  const agent = new Agent({ keepAlive: true, maxSockets: job.sockets });
  const kinds: string[] = [];
  const kindIndex = (kind: string) => (kinds.includes(kind) ? kinds.indexOf(kind) : kinds.push(kind) - 1);
  const samples: Sample[] = [];
  const failures: Array<{ kind: string; status: number; body: string }> = [];
  const reasons: Record<string, number> = {};
  const watched: number[] = job.tokens.map(() => 0);
  const reported: number[] = job.tokens.map(() => 0);
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  const end = started + job.seconds * 1000;

  const send = async (kind: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; text: string }> => {
    const at = Date.now();
    const t0 = performance.now();
    let status = 0;
    let text = '';
    try {
      ({ status, text } = await call(agent, job.baseUrl + path, method, token, body === undefined ? undefined : JSON.stringify(body)));
    } catch (error) {
      text = String(error);
    }
    samples.push([kindIndex(kind), at, performance.now() - t0, status]);
    if (status < 200 || status >= 300) failures.push({ kind, status, body: text.slice(0, 300) });
    return { status, text };
  };
  const openPage = (name: string, token: string) => Promise.all(PAGES[name].map((r) => send(r.kind, 'GET', r.path(job), token)));
  const sleepUntil = (time: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));

  const learner = async (i: number): Promise<void> => {
    const token = job.tokens[i];
    await sleepUntil(started + (i / job.tokens.length) * job.staggerSeconds * 1000);
    await openPage('home', token);
    const play = await send('POST /activities/:id/play', 'POST', `/api/activities/${job.activityId}/play`, token, {});
    if (play.status < 200 || play.status >= 300) return;
    const playedAt = Date.now();
    // Pages, at random moments (exponential gaps), alongside the reports.
    const pages = (async () => {
      for (;;) {
        const at = Date.now() - Math.log(1 - Math.random()) * job.pageEverySeconds * 1000;
        if (at >= end) return;
        await sleepUntil(at);
        await openPage(PAGE_NAMES[Math.floor(Math.random() * PAGE_NAMES.length)], token);
      }
    })();
    for (let k = 1; playedAt + k * job.reportEverySeconds * 1000 < end; k++) {
      await sleepUntil(playedAt + k * job.reportEverySeconds * 1000);
      const span = { from: (k - 1) * job.reportEverySeconds, to: k * job.reportEverySeconds, deviceId: `bench-${i}` };
      const report = await send('POST /activities/:id/progress', 'POST', `/api/activities/${job.activityId}/progress`, token, span);
      if (report.status >= 200 && report.status < 300) {
        const view = JSON.parse(report.text) as { watchedSeconds: number; reason: string | null };
        watched[i] = view.watchedSeconds;
        reported[i]++;
        if (view.reason) reasons[view.reason] = (reasons[view.reason] ?? 0) + 1;
      }
    }
    await pages;
  };

  await Promise.all(job.tokens.map((_, i) => learner(i)));
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(
    JSON.stringify({ kinds, samples, failures, reasons, watched, reported, seconds: (Date.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 }),
  );
}

function call(agent: Agent, url: string, method: string, token: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${token}` };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    const req = request(url, { method, agent, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

void main();
