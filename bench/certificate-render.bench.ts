import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Certificate } from '../src/certificates/certificate.entity';
import { CertificateFiles } from '../src/certificates/certificate-files.service';
import { CertificateContent, drawCertificate, emptyTimings, qrPng, renderCertificatePdf, RenderTimings } from '../src/certificates/certificate-pdf';
import { loadConfig } from '../src/config/config';
import { LocalDiskStorage } from '../src/storage/local-disk.storage';
import type { BenchResult } from './run';

const PER_ROUND = 100;
const ROUNDS = 4;

/**
 * Certificate rendering alone, in one process, no database: documents/s of the real renderer
 * (`renderCertificatePdf`, what the compile job calls) against bare pdfkit drawing the same page with the same
 * font and QR code (`drawCertificate` + a PNG QR code, nothing prepared), rounds alternating so that a busy moment
 * on a shared machine weighs on both alike; then the real render-and-store path (`CertificateFiles.store`, its
 * lanes, local-disk storage) and where one document's time goes: layout, font subsetting, QR code, PDF output,
 * storage.
 */
export async function certificateRenderBench(): Promise<BenchResult> {
  const storageDir = mkdtempSync(join(tmpdir(), 'bench-certificate-render-'));
  const config = loadConfig(process.env);
  const storage = new LocalDiskStorage(storageDir);
  const repository = { recordPdfKeys: async () => undefined };
  const files = new CertificateFiles(repository as never, null as never, storage, config);
  const course = { startsAt: new Date('2026-02-28T16:00:00Z'), endsAt: new Date('2026-06-30T16:00:00Z') };
  const certificate = (i: number): Certificate =>
    Object.assign(new Certificate(), {
      id: String(100_000 + i),
      courseId: '1',
      name: ['欧阳修文', '王五', '李建国', '张晓燕', '司马光明'][i % 5] + (i % 7 === 0 ? '' : String.fromCharCode(0x4e00 + (i % 500))),
      unitName: ['马克思主义学院党委', '机关党委', '化学化工学院党委'][i % 3],
      branchName: ['教工第一党支部', '研究生第三党支部', '本科生党支部'][i % 3],
      courseTitle: '2026年党支部书记培训班（第1期）',
      creditHours: i % 2 ? 32.5 : 32,
      completedAt: new Date('2026-06-20T02:00:00Z'),
      issuedAt: new Date('2026-07-01T02:00:00Z'),
      serial: `2026-${String(i + 1).padStart(7, '0')}`,
      verificationCode: String(i).padStart(16, '0'),
    });
  const content = (i: number): CertificateContent => files.content(certificate(i), course);

  try {
    // Both sides pay the font parse and the first layout before timing (once per process in either case).
    for (let i = 0; i < 5; i++) {
      await drawCertificate(content(i), await qrPng(content(i).verifyUrl));
      await renderCertificatePdf(content(i));
    }

    let bareMs = 0;
    let realMs = 0;
    let storeMs = 0;
    let bytes = 0;
    let bareBytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const first = round * PER_ROUND;
      let started = performance.now();
      for (let i = first; i < first + PER_ROUND; i++) {
        const page = content(i);
        bareBytes += (await drawCertificate(page, await qrPng(page.verifyUrl))).length;
      }
      bareMs += performance.now() - started;

      started = performance.now();
      for (let i = first; i < first + PER_ROUND; i++) bytes += (await renderCertificatePdf(content(i))).length;
      realMs += performance.now() - started;

      const batch = Array.from({ length: PER_ROUND }, (_, k) => certificate(10_000 + first + k));
      started = performance.now();
      await files.store(batch, course);
      storeMs += performance.now() - started;
    }
    const total = PER_ROUND * ROUNDS;

    // Where the time goes, one document after another (both sides, the same pages, none of them rendered
    // before: every name brings a character not seen yet, as the timed rounds did).
    const real = emptyTimings();
    const bare = emptyTimings();
    let storage = 0;
    for (let i = total; i < total + PER_ROUND; i++) {
      const page = content(i);
      let started = performance.now();
      const qr = await qrPng(page.verifyUrl);
      bare.qr += performance.now() - started;
      await drawCertificate(page, qr, bare);
      const pdf = await renderCertificatePdf(page, real);
      started = performance.now();
      await files.save(certificate(20_000 + i), pdf);
      storage += performance.now() - started;
    }
    const each = (value: number) => `${(value / PER_ROUND).toFixed(2)} ms`;
    // (The bare side's QR is its PNG; pdfkit decoding that PNG again falls in its output.)
    const sum = (t: RenderTimings) => t.layout + t.fontSubset + t.qr + t.output;

    const rate = (count: number, elapsed: number) => count / (elapsed / 1000);
    const realRate = rate(total, realMs);
    const bareRate = rate(total, bareMs);
    return {
      name: `certificate-render: ${ROUNDS} rounds × ${PER_ROUND} certificates, the renderer vs bare pdfkit drawing the same page (one process)`,
      rows: [
        { metric: 'documents/s (in memory, one after another)', value: realRate.toFixed(1), baseline: `${bareRate.toFixed(1)} bare pdfkit` },
        { metric: 'ratio to bare pdfkit', value: `${(realRate / bareRate).toFixed(2)}×` },
        { metric: 'documents/s rendered and stored (CertificateFiles.store, local disk)', value: rate(total, storeMs).toFixed(1), baseline: `${bareRate.toFixed(1)} bare pdfkit, in memory` },
        { metric: 'per document: layout and drawing', value: each(real.layout), baseline: each(bare.layout) },
        { metric: 'per document: font subsetting and embedding', value: each(real.fontSubset), baseline: each(bare.fontSubset) },
        { metric: 'per document: QR code', value: each(real.qr), baseline: each(bare.qr) },
        { metric: 'per document: PDF output (compression, objects)', value: each(real.output), baseline: each(bare.output) },
        { metric: 'per document: storage (local disk)', value: each(storage) },
        { metric: 'per document: total (render + storage)', value: each(sum(real) + storage), baseline: `${each(sum(bare))} (render only)` },
        { metric: 'average PDF size', value: `${(bytes / total / 1024).toFixed(1)} KB`, baseline: `${(bareBytes / total / 1024).toFixed(1)} KB` },
      ],
    };
  } finally {
    rmSync(storageDir, { recursive: true, force: true });
  }
}
