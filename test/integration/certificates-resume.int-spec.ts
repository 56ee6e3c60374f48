import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { CertificateBatch } from '../../src/certificates/certificate-batch.entity';
import { StorageDriver } from '../../src/storage/storage';
import { makeUser, uniq } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';

const LEARNERS = 90;
const CHUNK = 3;
const ROOT = join(__dirname, '..', '..');

/** Starts the real worker in its own process and resolves once it processes jobs. */
function startWorker(extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, 'test/support/certificate-worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, CERTIFICATE_CHUNK_SIZE: String(CHUNK), LOG_LEVEL: 'silent', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${errors}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
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

/** A compile killed mid-batch (SIGKILL, no clean-up) and resumed by a new worker process. */
describe('certificate compile survives a killed worker', () => {
  let t: TestApp;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await t.close();
  });

  /** A closed course whose frozen results say LEARNERS secretaries completed, written in bulk; its id. */
  async function closedCourse(ds: DataSource): Promise<string> {
    const tag = uniq();
    const { insertId: unitId } = await ds.query(`INSERT INTO units (name, code) VALUES (?, ?)`, [`续编学院${tag}`, `R${tag}`]);
    const { insertId: branchId } = await ds.query(`INSERT INTO branches (unit_id, name, code, kind) VALUES (?, ?, ?, 'staff')`, [unitId, `续编支部${tag}`, `RB${tag}`]);
    const values = Array.from({ length: LEARNERS }, (_, i) => [`r${tag}${i}`, `续编学员${i}`, 'secretary', branchId, unitId, 'x']);
    await ds.query(`INSERT INTO users (username, name, role, branch_id, unit_id, password_hash) VALUES ${values.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`, values.flat());
    const { insertId: courseId } = await ds.query(
      `INSERT INTO courses (title, starts_at, ends_at, status, closed_at) VALUES (?, '2026-02-28 16:00:00', '2026-06-30 16:00:00', 'closed', NOW(3))`,
      [`续编培训班${tag}`],
    );
    await ds.query(
      `INSERT INTO course_results (course_id, user_id, required_done, required_total, credit_hours, sessions_attended, completed, completed_at)
       SELECT ?, id, 3, 3, 4, 0, 1, NOW(3) FROM users WHERE username LIKE ?`,
      [courseId, `r${tag}%`],
    );
    return String(courseId);
  }

  /** Every completed learner holds one certificate with its stored PDF; serials 1..LEARNERS, the counter at LEARNERS. */
  async function expectComplete(ds: DataSource, courseId: string): Promise<void> {
    const rows: Array<{ id: string; seq: number; serial: string; user_id: string; pdf_key: string | null }> = await ds.query(
      `SELECT id, seq, serial, user_id, pdf_key FROM certificates WHERE course_id = ? ORDER BY seq`,
      [courseId],
    );
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: LEARNERS }, (_, i) => i + 1));
    expect(rows[LEARNERS - 1].serial).toBe(`2026-${String(LEARNERS).padStart(7, '0')}`);
    expect(new Set(rows.map((r) => String(r.user_id))).size).toBe(LEARNERS);
    const [{ last_seq: lastSeq }] = await ds.query(`SELECT last_seq FROM certificate_sequences WHERE course_id = ?`, [courseId]);
    expect(Number(lastSeq)).toBe(LEARNERS);
    const storage = t.app.get(StorageDriver);
    for (const row of rows) {
      expect(row.pdf_key).toBe(`certificates/${courseId}/${row.id}.pdf`);
      expect((await storage.stat(row.pdf_key!))?.size).toBeGreaterThan(1000);
    }
  }

  it('finishes the batch with no duplicate and no gap when a worker is killed while issuing', async () => {
    const ds = t.dataSource;
    const adminToken = await t.login((await makeUser(ds, { role: 'admin' })).username);
    const courseId = await closedCourse(ds);

    const first = await startWorker();
    workers.push(first);
    const compile = await t.post(`/api/courses/${courseId}/certificates/compile`, {}, adminToken);
    expect(compile.statusCode).toBe(202);
    const { jobId } = compile.json();
    const batches = ds.getRepository(CertificateBatch);
    const count = async () => Number((await ds.query(`SELECT COUNT(*) AS n FROM certificates WHERE course_id = ?`, [courseId]))[0].n);

    // Kill it once a few chunks are in, without letting it finish anything it is doing.
    await poll(count, (n) => n >= 4 * CHUNK, 60);
    first.kill('SIGKILL');
    await exited(first);
    const atKill = await batches.findOneByOrFail({ jobId });
    expect(atKill.state).toBe('running');
    expect(await count()).toBeLessThan(LEARNERS);

    const second = await startWorker();
    workers.push(second);
    const finished = await poll(() => batches.findOneByOrFail({ jobId }), (b) => b.state === 'done' || b.state === 'failed', 90);
    second.kill('SIGTERM');
    await exited(second);

    expect(finished).toMatchObject({ state: 'done', total: LEARNERS, done: LEARNERS, issued: LEARNERS });
    await expectComplete(ds, courseId);
  }, 180_000);

  it('finishes the batch when a worker is killed while rendering: another renders what lacks a PDF', async () => {
    const ds = t.dataSource;
    const adminToken = await t.login((await makeUser(ds, { role: 'admin' })).username);
    const courseId = await closedCourse(ds);
    // The first worker's storage hangs after two ranges' PDFs: its render slot is stuck in a range while its compile
    // job goes on issuing, so it is killed mid-render however fast the machine renders.
    const first = await startWorker({ CERTIFICATE_PDFS_BEFORE_HANG: String(2 * CHUNK) });
    workers.push(first);
    const { jobId } = (await t.post(`/api/courses/${courseId}/certificates/compile`, {}, adminToken)).json();
    const stored = async () => Number((await ds.query(`SELECT COUNT(*) AS n FROM certificates WHERE course_id = ? AND pdf_key IS NOT NULL`, [courseId]))[0].n);

    // Rendering starts while issuing goes on; kill the worker once issuing has ended (the batch knows its last
    // serial), while a render job is still at work.
    const issuedUpTo = async () => (await ds.query(`SELECT issued_up_to FROM certificate_batches WHERE job_id = ?`, [jobId]))[0]?.issued_up_to ?? null;
    await poll(issuedUpTo, (upTo) => upTo !== null, 60);
    first.kill('SIGKILL');
    await exited(first);
    const batches = ds.getRepository(CertificateBatch);
    const atKill = await batches.findOneByOrFail({ jobId });
    expect(atKill).toMatchObject({ state: 'running', issued: LEARNERS, total: LEARNERS });
    expect(await stored()).toBeLessThan(LEARNERS);

    const second = await startWorker();
    workers.push(second);
    const finished = await poll(() => batches.findOneByOrFail({ jobId }), (b) => b.state === 'done' || b.state === 'failed', 90);
    second.kill('SIGTERM');
    await exited(second);

    expect(finished).toMatchObject({ state: 'done', total: LEARNERS, done: LEARNERS, issued: LEARNERS });
    await expectComplete(ds, courseId);
  }, 180_000);
});
