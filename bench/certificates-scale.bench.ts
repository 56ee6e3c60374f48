import { Queue } from 'bullmq';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { DEFAULT_JOB_OPTIONS, JOB_DEFINITIONS } from '../src/jobs/jobs';
import { bullPrefix } from '../src/jobs/queue.module';
import { CertificateWorker, startCertificateWorker, stop } from './processes';
import type { BenchResult } from './run';
import { benchDatabase } from './support';

/** Certificates per course (and so per run): BENCH_CERTIFICATES, 2,000 unless told. */
const CERTIFICATES = Number(process.env.BENCH_CERTIFICATES ?? 2000);
/** The worker-process counts compared, one run each on its own closed course: BENCH_CERTIFICATES_WORKERS, "1,2" unless told. */
const WORKER_COUNTS = (process.env.BENCH_CERTIFICATES_WORKERS ?? '1,2').split(',').map(Number);
/**
 * BENCH_CERTIFICATES_KILL=1: in a run with two or more processes, the first is killed (SIGKILL, mid-render)
 * once half the batch is done and a fresh process takes its place, as an operator's restart would.
 */
const KILL = process.env.BENCH_CERTIFICATES_KILL === '1';
/** A worker process as deployed, quiet: the bench reads only its `ready` and `rendered` lines. */
const startWorker = () => startCertificateWorker({ LOG_LEVEL: 'silent' });

/**
 * The end-of-period batch shared by worker processes: a closed course of BENCH_CERTIFICATES learners who all
 * completed, its compile queued as closing queues it, and 1, then 2, real worker processes (WorkerModule,
 * bench/certificate-worker.ts) taking the certificates.compile job and the certificates.render range jobs it
 * fans out, on one MariaDB, Redis and storage directory. Times the queueing of the compile to its batch being
 * done, and counts the PDFs each process rendered.
 */
export async function certificatesScaleBench(): Promise<BenchResult> {
  const storageDir = mkdtempSync(join(tmpdir(), 'bench-certificates-scale-'));
  process.env.STORAGE_DIR = storageDir;
  const { config, dataSource, drop } = await benchDatabase('certificates_scale');
  const queue = new Queue('certificates', { connection: { url: config.redis.url, maxRetriesPerRequest: null }, prefix: bullPrefix(config) });
  const rows: BenchResult['rows'] = [];
  const loadBefore = loadavg()[0];
  try {
    const learners = await seedLearners(dataSource, CERTIFICATES);
    let oneRate = 0;
    for (const count of WORKER_COUNTS) {
      const courseId = await closedCourse(dataSource, learners, count);
      const workers = await Promise.all(Array.from({ length: count }, () => startWorker()));
      try {
        const started = performance.now();
        const payload = { courseId };
        await queue.add('certificates.compile', payload, { ...DEFAULT_JOB_OPTIONS, jobId: JOB_DEFINITIONS['certificates.compile'].id(payload) });
        const killed = KILL && count > 1 ? killAtHalf(dataSource, courseId, workers) : undefined;
        const batch = await waitForBatch(dataSource, courseId);
        const replaced = await killed;
        const seconds = (performance.now() - started) / 1000;
        if (batch.state !== 'done' || batch.done !== CERTIFICATES) throw new Error(`batch ended ${batch.state} with ${batch.done}/${CERTIFICATES}: ${batch.error}`);
        await verify(dataSource, courseId);
        const rate = CERTIFICATES / seconds;
        if (count === 1) oneRate = rate;
        const shares = workers.map((w) => `${w.rendered} (${((100 * w.rendered) / CERTIFICATES).toFixed(1)}%)`).join(' + ');
        rows.push({ metric: `${count} worker process${count > 1 ? 'es' : ''}: certificates/s`, value: rate.toFixed(1), baseline: count === 1 || !oneRate ? '' : `${oneRate.toFixed(1)} with 1 (${(rate / oneRate).toFixed(2)}×)` });
        rows.push({ metric: `${count} worker process${count > 1 ? 'es' : ''}: time for ${CERTIFICATES}`, value: `${seconds.toFixed(1)} s (${(seconds / 60).toFixed(1)} min)`, target: CERTIFICATES >= 100_000 && count === 2 ? '≤ 15 min with 2' : undefined });
        rows.push({ metric: `${count} worker process${count > 1 ? 'es' : ''}: issuing, from start to last serial (one job, in order; rendering runs alongside)`, value: `${(await issuingSeconds(dataSource, courseId)).toFixed(1)} s` });
        rows.push({ metric: `${count} worker process${count > 1 ? 'es' : ''}: PDFs rendered by each`, value: shares });
        if (replaced) rows.push({ metric: `${count} worker processes: killed mid-run`, value: `process 1 killed at ${replaced.at} done; its replacement rendered ${replaced.worker.rendered}` });
        if (count === WORKER_COUNTS.at(-1) && CERTIFICATES < 100_000) {
          rows.push({ metric: `projected time for 100,000 with ${count} processes`, value: `${(100_000 / rate / 60).toFixed(1)} min`, target: '≤ 15 min' });
        }
      } finally {
        await Promise.all(workers.map((w) => stop(w.child)));
      }
    }
    rows.push({ metric: 'machine', value: `${cpus().length} cores, load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after` });
    return { name: `certificates at scale: ${CERTIFICATES} per batch, 1 vs 2 worker processes (render ranges of ${config.certificates.chunkSize})`, rows };
  } finally {
    await queue.close();
    await drop();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

/** `count` secretaries in one branch, inserted in slices; their ids. */
async function seedLearners(ds: DataSource, count: number): Promise<number> {
  const { insertId: unitId } = await ds.query(`INSERT INTO units (name, code) VALUES ('马克思主义学院党委', 'BENCH')`);
  const { insertId: branchId } = await ds.query(`INSERT INTO branches (unit_id, name, code, kind) VALUES (?, '教工第一党支部', 'BENCH-B', 'staff')`, [unitId]);
  for (let from = 0; from < count; from += 5000) {
    const values = Array.from({ length: Math.min(5000, count - from) }, (_, i) => `('s${from + i}', '欧阳学员${from + i}', 'secretary', ${branchId}, ${unitId}, 'x')`);
    await ds.query(`INSERT INTO users (username, name, role, branch_id, unit_id, password_hash) VALUES ${values.join(', ')}`);
  }
  return count;
}

/** A closed course whose frozen results say every bench secretary completed it. */
async function closedCourse(ds: DataSource, learners: number, run: number): Promise<string> {
  const course = await ds.query(
    `INSERT INTO courses (title, starts_at, ends_at, status, closed_at) VALUES (?, '2026-02-28 16:00:00', '2026-06-30 16:00:00', 'closed', NOW(3))`,
    [`2026年党支部书记培训班（第${run}期）`],
  );
  await ds.query(
    `INSERT INTO course_results (course_id, user_id, required_done, required_total, credit_hours, sessions_attended, completed, completed_at)
     SELECT ?, id, 5, 5, 32.5, 2, 1, NOW(3) FROM users WHERE role = 'secretary' LIMIT ?`,
    [course.insertId, learners],
  );
  return String(course.insertId);
}

/**
 * Kills the first worker process once half the batch has its PDFs and starts another in its place (added to
 * `workers`, so its share is counted and it is stopped at the end): the killed one's render job is taken up
 * again when its lock expires, and the verification after the batch checks no certificate is doubled or missing.
 */
async function killAtHalf(ds: DataSource, courseId: string, workers: CertificateWorker[]): Promise<{ at: string; worker: CertificateWorker }> {
  for (;;) {
    const [batch] = await ds.query(`SELECT done, total FROM certificate_batches WHERE course_id = ?`, [courseId]);
    if (batch && Number(batch.total) > 0 && Number(batch.done) * 2 >= Number(batch.total)) {
      workers[0].child.kill('SIGKILL');
      const worker = await startWorker();
      workers.push(worker);
      return { at: `${batch.done}/${batch.total}`, worker };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Polls the course's batch (the one closing starts, recorded when a worker takes its job) until it ends. */
async function waitForBatch(ds: DataSource, courseId: string): Promise<{ state: string; done: number; error: string | null }> {
  for (;;) {
    const [batch] = await ds.query(`SELECT state, done, error FROM certificate_batches WHERE course_id = ?`, [courseId]);
    if (batch && (batch.state === 'done' || batch.state === 'failed')) return { state: batch.state, done: Number(batch.done), error: batch.error };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** From the batch's start to its last certificate issued: the serial allocation and inserts, before rendering. */
async function issuingSeconds(ds: DataSource, courseId: string): Promise<number> {
  const [row] = await ds.query(
    `SELECT TIMESTAMPDIFF(MICROSECOND, b.started_at, MAX(c.issued_at)) AS us FROM certificate_batches b JOIN certificates c ON c.batch_id = b.id WHERE b.course_id = ? GROUP BY b.id`,
    [courseId],
  );
  return Number(row.us) / 1e6;
}

/** No learner twice, serials 1..N without a gap, every certificate with its PDF. */
async function verify(ds: DataSource, courseId: string): Promise<void> {
  const [row] = await ds.query(
    `SELECT COUNT(*) AS n, COUNT(DISTINCT user_id) AS users, MIN(seq) AS lo, MAX(seq) AS hi, SUM(pdf_key IS NULL) AS missing FROM certificates WHERE course_id = ?`,
    [courseId],
  );
  const [n, users, lo, hi, missing] = [row.n, row.users, row.lo, row.hi, row.missing].map(Number);
  if (n !== CERTIFICATES || users !== n || lo !== 1 || hi !== n || missing !== 0) throw new Error(`course ${courseId}: ${n} certificates, ${users} learners, serials ${lo}..${hi}, ${missing} without PDF`);
}

