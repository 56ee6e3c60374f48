import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateBatch } from '../src/certificates/certificate-batch.entity';
import { CertificateCompiler } from '../src/certificates/certificate-compiler.service';
import { drawCertificate, qrPng } from '../src/certificates/certificate-pdf';
import { SYSTEM_ACTOR } from '../src/common/auth-user';
import { APP_CONFIG } from '../src/config/config.module';
import { JobsService } from '../src/jobs/jobs.service';
import { WorkerModule } from '../src/worker.module';
import type { BenchResult } from './run';
import { benchDatabase, ms } from './support';

const LEARNERS = 200;
const ROUNDS = 2;

/**
 * Certificates per second through the real path — POST-equivalent request, the certificates.compile job on
 * the BullMQ queue in the worker module, chunked transactions, PDF rendering, storage — against bare pdfkit
 * drawing the same page (same font, same QR) into memory, in the same process and run.
 */
export async function certificatesBench(): Promise<BenchResult> {
  const storageDir = mkdtempSync(join(tmpdir(), 'bench-certificates-'));
  process.env.STORAGE_DIR = storageDir;
  const { config, dataSource, drop } = await benchDatabase('certificates');
  const worker = await Test.createTestingModule({ imports: [WorkerModule] }).overrideProvider(APP_CONFIG).useValue(config).compile();
  worker.useLogger(false);
  await worker.init();
  // Job ids follow batch ids, which the fresh database hands out from 1 again: clear the last run's jobs.
  await worker.get(JobsService).queue('certificates').obliterate({ force: true });
  try {
    // A closed course whose frozen results say LEARNERS secretaries completed.
    const { insertId: unitId } = await dataSource.query(`INSERT INTO units (name, code) VALUES ('马克思主义学院党委', 'BENCH')`);
    const branch = await dataSource.query(`INSERT INTO branches (unit_id, name, code, kind) VALUES (?, '教工第一党支部', 'BENCH-B', 'staff')`, [unitId]);
    const values = Array.from({ length: LEARNERS }, (_, i) => `('b${i}', '欧阳学员${i}', 'secretary', ${branch.insertId}, ${unitId}, 'x')`);
    await dataSource.query(`INSERT INTO users (username, name, role, branch_id, unit_id, password_hash) VALUES ${values.join(', ')}`);
    // Two closed courses whose frozen results say every one of them completed: one per round.
    const courseIds: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const course = await dataSource.query(
        `INSERT INTO courses (title, starts_at, ends_at, status, closed_at) VALUES (?, '2026-02-28 16:00:00', '2026-06-30 16:00:00', 'closed', NOW(3))`,
        [`2026年党支部书记培训班（第${round + 1}期）`],
      );
      courseIds.push(String(course.insertId));
      await dataSource.query(
        `INSERT INTO course_results (course_id, user_id, required_done, required_total, credit_hours, sessions_attended, completed, completed_at)
         SELECT ?, id, 5, 5, 32.5, 2, 1, NOW(3) FROM users WHERE username LIKE 'b%'`,
        [course.insertId],
      );
    }

    // Both sides pay the font parse before timing (once per process in either case).
    const content = (i: number) => ({
      name: `欧阳学员${i}`,
      unitName: '马克思主义学院党委',
      branchName: '教工第一党支部',
      courseTitle: '2026年党支部书记培训班',
      periodStart: new Date('2026-03-01T00:00:00+08:00'),
      periodEnd: new Date('2026-07-01T00:00:00+08:00'),
      creditHours: 32.5,
      completedAt: new Date('2026-06-20T10:00:00+08:00'),
      issuedAt: new Date(),
      issuer: config.certificates.issuer,
      serial: `2026-${String(i + 1).padStart(7, '0')}`,
      verifyUrl: `${config.http.publicUrl}/verify/${String(i).padStart(16, '0')}`,
    });
    await drawCertificate(content(0), await qrPng(content(0).verifyUrl));

    // Rounds alternate the two sides, so a busy moment on a shared machine weighs on both alike.
    let bareMs = 0;
    let realMs = 0;
    let bytes = 0;
    const batches = dataSource.getRepository(CertificateBatch);
    for (const courseId of courseIds) {
      const bareStarted = performance.now();
      for (let i = 0; i < LEARNERS; i++) {
        const page = content(i);
        bytes += (await drawCertificate(page, await qrPng(page.verifyUrl))).length;
      }
      bareMs += performance.now() - bareStarted;

      const started = performance.now();
      const { jobId } = await worker.get(CertificateCompiler).request(courseId, SYSTEM_ACTOR, false);
      let batch = await batches.findOneByOrFail({ jobId });
      while (batch.state !== 'done' && batch.state !== 'failed') {
        await new Promise((resolve) => setTimeout(resolve, 20));
        batch = await batches.findOneByOrFail({ jobId });
      }
      realMs += performance.now() - started;
      if (batch.state !== 'done' || batch.issued !== LEARNERS) throw new Error(`compile ended ${batch.state} with ${batch.issued}/${LEARNERS}: ${batch.error}`);
    }
    const total = LEARNERS * ROUNDS;

    const realRate = total / (realMs / 1000);
    const bareRate = total / (bareMs / 1000);
    return {
      name: `certificates: ${ROUNDS} courses × ${LEARNERS} compiled (chunks of ${config.certificates.chunkSize}) vs bare pdfkit drawing the same pages`,
      rows: [
        { metric: 'certificates/s', value: realRate.toFixed(1), baseline: `${bareRate.toFixed(1)} bare pdfkit`, target: `≥ ${(bareRate / 2).toFixed(1)} (0.5× bare)` },
        { metric: 'ratio to bare pdfkit', value: `${(realRate / bareRate).toFixed(2)}×`, target: '≥ 0.5×' },
        { metric: `time for ${total}`, value: ms(realMs), baseline: ms(bareMs) },
        { metric: 'projected time for 10,000 (one worker process)', value: `${(10_000 / realRate).toFixed(0)} s`, baseline: `${(10_000 / bareRate).toFixed(0)} s` },
        { metric: 'average PDF size', value: `${(bytes / total / 1024).toFixed(1)} KB` },
      ],
    };
  } finally {
    await worker.close();
    await drop();
    rmSync(storageDir, { recursive: true, force: true });
  }
}
