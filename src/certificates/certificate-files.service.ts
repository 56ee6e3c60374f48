import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { Course } from '../courses/course.entity';
import { CoursesRepository } from '../courses/courses.repository';
import { StorageDriver } from '../storage/storage';
import { Certificate } from './certificate.entity';
import { CertificateContent, renderCertificatePdf } from './certificate-pdf';
import { CertificatesRepository } from './certificates.repository';

const RENDER_LANES = 4;

/**
 * The public page a QR code leads to: the web app's verification page, which a phone shows as a page and
 * which reads the JSON of /api/certificates/verify/:code (no login for either).
 */
export function verificationUrl(config: AppConfig, code: string): string {
  return `${config.http.publicUrl}/verify/${code}`;
}

/**
 * Certificate PDFs live in storage, rendered once when issued: downloads and ZIP bundles stream the stored
 * bytes (no CPU per download, and the document handed out never changes). The key is derived from the id,
 * so a render repeated after a crash overwrites the same object instead of leaving an orphan.
 */
@Injectable()
export class CertificateFiles {
  constructor(
    private readonly certificates: CertificatesRepository,
    private readonly courses: CoursesRepository,
    private readonly storage: StorageDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  static key(certificate: Pick<Certificate, 'id' | 'courseId'>): string {
    return `certificates/${certificate.courseId}/${certificate.id}.pdf`;
  }

  content(certificate: Certificate, course: Pick<Course, 'startsAt' | 'endsAt'>): CertificateContent {
    return {
      name: certificate.name,
      unitName: certificate.unitName,
      branchName: certificate.branchName,
      courseTitle: certificate.courseTitle,
      periodStart: course.startsAt,
      periodEnd: course.endsAt,
      creditHours: certificate.creditHours,
      completedAt: certificate.completedAt,
      issuedAt: certificate.issuedAt,
      issuer: this.config.certificates.issuer,
      serial: certificate.serial,
      verifyUrl: verificationUrl(this.config, certificate.verificationCode),
    };
  }

  /** Renders and stores the PDFs of these certificates (all of one course), then records their keys. */
  async store(certificates: Certificate[], course: Pick<Course, 'startsAt' | 'endsAt'>): Promise<void> {
    if (!certificates.length) return;
    // A few at a time: while one page is laid out (on this thread), the previous ones' writes proceed.
    const queue = [...certificates];
    const lane = async () => {
      for (let certificate = queue.shift(); certificate; certificate = queue.shift()) {
        await this.save(certificate, await renderCertificatePdf(this.content(certificate, course)));
      }
    };
    await Promise.all(Array.from({ length: RENDER_LANES }, lane));
    // Recorded only after every file is in place: a crash before this line renders them again, harmlessly.
    await this.certificates.recordPdfKeys(certificates.map((c) => c.id));
  }

  /** Puts one rendered PDF into storage under the certificate's key, straight from memory. */
  async save(certificate: Pick<Certificate, 'id' | 'courseId'>, pdf: Buffer): Promise<void> {
    await this.storage.putBytes(CertificateFiles.key(certificate), pdf, 'application/pdf');
  }

  /** The stored PDF, rendering it first if it was never stored (a certificate issued by a crashed run). */
  async open(certificate: Certificate): Promise<{ body: Readable; size: number }> {
    let stored = certificate.pdfKey ? await this.storage.stat(certificate.pdfKey) : null;
    if (!stored) {
      const course = await this.courses.findById(certificate.courseId);
      if (!course) throw new Error(`certificate ${certificate.id}: course ${certificate.courseId} missing`);
      await this.store([certificate], course);
      stored = await this.storage.stat(CertificateFiles.key(certificate));
      if (!stored) throw new Error(`certificate ${certificate.id}: PDF missing after storing it`);
    }
    return { body: await this.storage.read(CertificateFiles.key(certificate)), size: stored.size };
  }
}
