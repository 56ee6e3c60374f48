import type { INestApplicationContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CertificateBatch } from '../../src/certificates/certificate-batch.entity';
import { CertificateCompiler } from '../../src/certificates/certificate-compiler.service';
import type { JobPayloads } from '../../src/jobs/jobs';
import { JobsService } from '../../src/jobs/jobs.service';
import { CertificatesQueueProcessor } from '../../src/jobs/processors';
import { StorageDriver } from '../../src/storage/storage';
import { makeUser, uniq } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';
import { startWorker } from '../support/worker-context';

// Small render ranges, so a batch of a few dozen makes many jobs for the workers to share.
const CHUNK = 3;
process.env.CERTIFICATE_CHUNK_SIZE = String(CHUNK);

/** A closed course whose frozen results say `learners` secretaries completed it, written in bulk. */
async function closedCourseWith(ds: DataSource, learners: number): Promise<string> {
  const tag = uniq();
  const { insertId: unitId } = await ds.query(`INSERT INTO units (name, code) VALUES (?, ?)`, [`共编学院${tag}`, `S${tag}`]);
  const { insertId: branchId } = await ds.query(`INSERT INTO branches (unit_id, name, code, kind) VALUES (?, ?, ?, 'staff')`, [unitId, `共编支部${tag}`, `SB${tag}`]);
  const values = Array.from({ length: learners }, (_, i) => [`s${tag}${i}`, `共编学员${i}`, 'secretary', branchId, unitId, 'x']);
  await ds.query(`INSERT INTO users (username, name, role, branch_id, unit_id, password_hash) VALUES ${values.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`, values.flat());
  const { insertId: courseId } = await ds.query(
    `INSERT INTO courses (title, starts_at, ends_at, status, closed_at) VALUES (?, '2026-02-28 16:00:00', '2026-06-30 16:00:00', 'closed', NOW(3))`,
    [`共编培训班${tag}`],
  );
  await ds.query(
    `INSERT INTO course_results (course_id, user_id, required_done, required_total, credit_hours, sessions_attended, completed, completed_at)
     SELECT ?, id, 3, 3, 4, 0, 1, NOW(3) FROM users WHERE username LIKE ?`,
    [courseId, `s${tag}%`],
  );
  return String(courseId);
}

/** Every completed learner holds exactly one certificate with its stored PDF; serials run 1..learners, no gap. */
async function expectCompleteBatch(ds: DataSource, storage: StorageDriver, courseId: string, learners: number): Promise<void> {
  const rows: Array<{ id: string; seq: number; serial: string; user_id: string; pdf_key: string | null }> = await ds.query(
    `SELECT id, seq, serial, user_id, pdf_key FROM certificates WHERE course_id = ? ORDER BY seq`,
    [courseId],
  );
  expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: learners }, (_, i) => i + 1));
  expect(rows.at(-1)!.serial).toBe(`2026-${String(learners).padStart(7, '0')}`);
  const [{ n: completed }] = await ds.query(`SELECT COUNT(*) AS n FROM course_results WHERE course_id = ? AND completed = 1`, [courseId]);
  expect(Number(completed)).toBe(learners);
  expect(new Set(rows.map((r) => String(r.user_id))).size).toBe(learners);
  const [{ last_seq: lastSeq }] = await ds.query(`SELECT last_seq FROM certificate_sequences WHERE course_id = ?`, [courseId]);
  expect(Number(lastSeq)).toBe(learners);
  for (const row of rows) {
    expect(row.pdf_key).toBe(`certificates/${courseId}/${row.id}.pdf`);
    expect((await storage.stat(row.pdf_key!))?.size).toBeGreaterThan(1000);
  }
}

async function poll<T>(read: () => Promise<T>, until: (value: T) => boolean, seconds: number): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let value = await read();
  while (!until(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

/**
 * How many PDFs the render jobs of the course this worker completed stored, and which of the course's jobs it ran.
 * Only the course's: the queue is shared with the other files this jest process runs, and one of them may leave
 * a job of its own for these workers to take.
 */
function tally(worker: INestApplicationContext, courseId: string): { rendered: number; jobs: string[] } {
  const counts = { rendered: 0, jobs: [] as string[] };
  worker.get(CertificatesQueueProcessor).worker.on('completed', (job, result: { rendered?: number } | string) => {
    if ((job.data as { courseId?: string } | undefined)?.courseId !== courseId) return;
    counts.jobs.push(job.name);
    if (job.name === 'certificates.render' && typeof result === 'object') counts.rendered += result.rendered ?? 0;
  });
  return counts;
}

/** One batch, several worker processes' modules (WorkerModule contexts) taking its jobs off the real queue. */
describe('certificate batch shared by workers', () => {
  let t: TestApp;
  let adminToken: string;
  const workers: INestApplicationContext[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    adminToken = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
  });
  // Workers a test started stop with it, passed or not, so none takes the next test's jobs.
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.close().catch(() => undefined);
  });
  afterAll(() => t.close());

  /** The batch is marked done inside its last render job; the jobs' completion reaches the tallies just after. */
  const renderJobs = (...tallies: Array<ReturnType<typeof tally>>) => tallies.flatMap((x) => x.jobs).filter((name) => name === 'certificates.render').length;
  const settled = (count: () => number, expected: number) => poll(async () => count(), (n) => n >= expected, 30);

  async function compile(courseId: string): Promise<string> {
    const response = await t.post(`/api/courses/${courseId}/certificates/compile`, {}, adminToken);
    expect(response.statusCode).toBe(202);
    return response.json().jobId;
  }

  const batch = (jobId: string) => t.dataSource.getRepository(CertificateBatch).findOneByOrFail({ jobId });
  const progress = async (courseId: string, jobId: string) => (await t.get(`/api/courses/${courseId}/certificates/compile/${jobId}`, adminToken)).json();

  it('two workers both render ranges of one batch; progress adds them up to the learners', async () => {
    const learners = 72;
    const courseId = await closedCourseWith(t.dataSource, learners);
    const [one, two] = [await startWorker(), await startWorker()];
    workers.push(one, two);
    const [tallyOne, tallyTwo] = [tally(one, courseId), tally(two, courseId)];

    const jobId = await compile(courseId);
    const seen: Array<{ done: number; total: number }> = [];
    const finished = await poll(
      async () => {
        const view = await progress(courseId, jobId);
        seen.push({ done: view.done, total: view.total });
        return view;
      },
      (view) => view.state === 'done' || view.state === 'failed',
      120,
    );

    expect(finished).toMatchObject({ state: 'done', done: learners, total: learners, issued: learners });
    // The web's progress bar moved through the batch: never above the total, never backwards.
    expect(seen.every((p, i) => p.done <= p.total && (i === 0 || p.done >= seen[i - 1].done))).toBe(true);
    // Each worker rendered some of the ranges. In the full suite a worker context another file started in this
    // jest process may still take a range of the shared queue, so the two count at most all of them; that every
    // learner holds exactly one certificate with its PDF, serials 1..N, is checked on the rows below.
    await settled(() => renderJobs(tallyOne, tallyTwo), learners / CHUNK);
    expect(tallyOne.rendered).toBeGreaterThan(0);
    expect(tallyTwo.rendered).toBeGreaterThan(0);
    expect(tallyOne.rendered + tallyTwo.rendered).toBeLessThanOrEqual(learners);
    expect(renderJobs(tallyOne, tallyTwo)).toBeLessThanOrEqual(learners / CHUNK);
    await expectCompleteBatch(t.dataSource, t.app.get(StorageDriver), courseId, learners);
  }, 180_000);

  it('renders a range while issuing goes on, and the batch is done only once issuing has ended', async () => {
    const learners = 4 * CHUNK;
    const courseId = await closedCourseWith(t.dataSource, learners);
    const compiler = t.app.get(CertificateCompiler);
    const queued: Array<JobPayloads['certificates.render']> = [];
    const duringIssuing: Array<{ state: string; issuedUpTo: number | null; issued: number; done: number }> = [];
    // The compile queues each range as it is issued; here the first one is rendered at that very moment, inside
    // the issuing loop (as a worker would take it), and the rest are kept for later.
    const enqueue = jest.spyOn(t.app.get(JobsService), 'enqueue').mockImplementation(async (name, payload) => {
      if (name !== 'certificates.render') throw new Error(`unexpected job ${name}`);
      const range = payload as JobPayloads['certificates.render'];
      if (queued.length === 0) {
        await compiler.render(range);
        const [row] = await t.dataSource.query(`SELECT state, issued_up_to, issued, done FROM certificate_batches WHERE course_id = ?`, [courseId]);
        duringIssuing.push({ state: row.state, issuedUpTo: row.issued_up_to, issued: Number(row.issued), done: Number(row.done) });
      }
      queued.push(range);
      return undefined as never;
    });
    try {
      await compiler.run({ courseId });
    } finally {
      enqueue.mockRestore();
    }

    // The first range was rendered while the rest was not yet issued, and that did not end the batch.
    expect(duringIssuing).toEqual([{ state: 'running', issuedUpTo: null, issued: CHUNK, done: CHUNK }]);
    expect(queued.map((r) => [r.from, r.to])).toEqual(Array.from({ length: 4 }, (_, i) => [i * CHUNK + 1, (i + 1) * CHUNK]));
    const [issuedRow] = await t.dataSource.query(`SELECT state, issued_up_to FROM certificate_batches WHERE course_id = ?`, [courseId]);
    expect({ state: issuedRow.state, issuedUpTo: Number(issuedRow.issued_up_to) }).toEqual({ state: 'running', issuedUpTo: learners });

    // The other ranges rendered (as the workers would): the last one to find nothing left ends the batch.
    for (const range of queued.slice(1, -1)) await compiler.render(range);
    expect((await t.dataSource.query(`SELECT state FROM certificate_batches WHERE course_id = ?`, [courseId]))[0].state).toBe('running');
    await compiler.render(queued.at(-1)!);
    const [done] = await t.dataSource.query(`SELECT state, done, total FROM certificate_batches WHERE course_id = ?`, [courseId]);
    expect({ state: done.state, done: Number(done.done), total: Number(done.total) }).toEqual({ state: 'done', done: learners, total: learners });
    await expectCompleteBatch(t.dataSource, t.app.get(StorageDriver), courseId, learners);
  }, 60_000);

  it('a worker closed mid-batch leaves the rest to another, which finishes it', async () => {
    const learners = 60;
    const courseId = await closedCourseWith(t.dataSource, learners);
    const first = await startWorker();
    workers.push(first);
    const tallyFirst = tally(first, courseId);
    const jobId = await compile(courseId);
    const stored = async () => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM certificates WHERE course_id = ? AND pdf_key IS NOT NULL`, [courseId]))[0].n);

    // Closed (as on a deploy) once a few ranges are stored: it finishes the jobs it holds and takes no more.
    await poll(stored, (n) => n >= 2 * CHUNK, 60);
    await first.close();
    const atClose = await batch(jobId);
    expect(atClose.state).toBe('running');
    expect(atClose.issued).toBe(learners);
    expect(await stored()).toBeLessThan(learners);

    const second = await startWorker();
    workers.push(second);
    const tallySecond = tally(second, courseId);
    const finished = await poll(() => batch(jobId), (b) => b.state === 'done' || b.state === 'failed', 120);

    expect(finished).toMatchObject({ state: 'done', done: learners, total: learners, issued: learners });
    await settled(() => renderJobs(tallyFirst, tallySecond), learners / CHUNK);
    expect(tallyFirst.rendered).toBeGreaterThan(0);
    expect(tallySecond.rendered).toBeGreaterThan(0);
    // At most all of them: in the full suite another file's worker context may still take a range (see above).
    expect(tallyFirst.rendered + tallySecond.rendered).toBeLessThanOrEqual(learners);
    await expectCompleteBatch(t.dataSource, t.app.get(StorageDriver), courseId, learners);

    // A second compile of the finished course issues and renders nothing, and is done at once.
    const before = renderJobs(tallySecond);
    const again = await compile(courseId);
    const rerun = await poll(() => batch(again), (b) => b.state === 'done' || b.state === 'failed', 60);
    expect(rerun).toMatchObject({ state: 'done', issued: 0, done: learners, total: learners });
    expect(renderJobs(tallySecond)).toBe(before);
  }, 180_000);
});
