import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ZipArchive } from 'archiver';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { assertDepartment, AuthUser, adminUnitScope } from '../common/auth-user';
import { neutralizeCell } from '../common/csv';
import { Page } from '../common/pagination';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { CourseAccessService } from '../access/course-access.service';
import { CoursesRepository } from '../courses/courses.repository';
import { Transactions } from '../database/transactions';
import { OrgRepository } from '../org/org.repository';
import { UsersRepository } from '../users/users.repository';
import { chinaDate, formatSerial, hashVerificationCode, maskName, newVerificationCode, normalizeVerificationCode } from './certificate-codes';
import { Certificate } from './certificate.entity';
import { CertificateFiles, verificationUrl } from './certificate-files.service';
import { CertificateScope, CertificatesRepository, isDuplicateKey } from './certificates.repository';
import { CertificateScopeQuery, ListCertificatesQuery } from './dto/certificate.dto';

export interface CertificateView {
  id: string;
  courseId: string;
  courseTitle: string;
  userId: string;
  name: string;
  unitId: string | null;
  unitName: string | null;
  branchId: string | null;
  branchName: string | null;
  serial: string;
  verificationCode: string;
  verifyUrl: string;
  creditHours: number;
  issuedAt: Date;
  revoked: boolean;
  revokedAt: Date | null;
  revokedReason: string | null;
  reissueOfId: string | null;
  /** The certificate that replaced this one by a reissue (a certificate is reissued at most once). */
  replacedBy: { id: string; serial: string } | null;
}

export interface VerificationView {
  valid: boolean;
  revoked: boolean;
  revokedAt: Date | null;
  name: string;
  course: string;
  serial: string;
  issuedAt: Date;
  creditHours: number;
  /** The issuing body printed on the certificate (CERTIFICATE_ISSUER). */
  issuer: string;
}

// The same answer for a malformed code and an unknown one: the response tells a guesser nothing.
const UNKNOWN_CODE = { message: '未找到该证书，请核对验证码', code: 'CERTIFICATE_NOT_FOUND' };
const BUNDLE_PAGE = 500;

/** Issued certificates: lists, downloads, bundles, the summary, public verification, revocation and reissue. */
@Injectable()
export class CertificatesService {
  constructor(
    private readonly certificates: CertificatesRepository,
    private readonly courses: CoursesRepository,
    private readonly people: UsersRepository,
    private readonly org: OrgRepository,
    private readonly transactions: Transactions,
    private readonly access: CourseAccessService,
    private readonly files: CertificateFiles,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---- Reads ----

  /** A course's certificates for admins; a unit admin sees only those issued to their unit. */
  async listForCourse(courseId: string, query: ListCertificatesQuery, actor: AuthUser): Promise<Page<CertificateView>> {
    await this.access.view(courseId, actor);
    const [rows, total] = await this.certificates.findPageForCourse(courseId, scopeOf(query, actor), { skip: query.skip, take: query.pageSize });
    return { items: await this.views(rows), total, page: query.page, pageSize: query.pageSize };
  }

  async listMine(actor: AuthUser): Promise<{ items: CertificateView[]; total: number }> {
    const rows = await this.certificates.findForUser(actor.id);
    return { items: await this.views(rows), total: rows.length };
  }

  /** The PDF for its owner or an admin (a unit admin: their unit's); anyone else gets the 404 an unknown id gets. */
  async pdf(id: string, actor: AuthUser): Promise<{ certificate: Certificate; body: Readable; size: number }> {
    const certificate = await this.certificates.findById(id);
    if (!certificate || !this.maySee(certificate, actor)) throw certificateNotFound(id);
    return { certificate, ...(await this.files.open(certificate)) };
  }

  async verify(input: string): Promise<VerificationView> {
    const code = normalizeVerificationCode(input);
    // Hash and look up even a malformed code, so both failures take the same path.
    const certificate = await this.certificates.findByCodeHash(hashVerificationCode(code ?? input));
    if (!code || !certificate) throw new NotFoundException(UNKNOWN_CODE);
    return {
      valid: certificate.revokedAt === null,
      revoked: certificate.revokedAt !== null,
      revokedAt: certificate.revokedAt,
      name: maskName(certificate.name),
      course: certificate.courseTitle,
      serial: certificate.serial,
      issuedAt: certificate.issuedAt,
      creditHours: certificate.creditHours,
      issuer: this.config.certificates.issuer,
    };
  }

  // ---- Bundle and summary ----

  /**
   * The course's live certificates (or one unit's or branch's) as a ZIP, streamed: one stored PDF is read
   * at a time and rows are fetched a page at a time, so memory stays flat for 100,000 certificates.
   */
  async bundle(courseId: string, scope: CertificateScopeQuery, actor: AuthUser): Promise<{ archive: Readable; fileName: string }> {
    const { course } = await this.access.view(courseId, actor);
    const within = scopeOf(scope, actor);
    if (!(await this.certificates.hasLive(courseId, within))) {
      throw new NotFoundException({ message: '所选范围内还没有结业证书', code: 'NO_CERTIFICATES' });
    }
    const archive = new ZipArchive({ store: true });
    // A client that hangs up closes the archive: stop reading rows and files then, rather than wait forever.
    const closed = new AbortController();
    archive.once('close', () => closed.abort());
    const feed = async () => {
      let after = 0;
      for (;;) {
        const page = await this.certificates.findLiveAfter(courseId, within, after, BUNDLE_PAGE);
        for (const certificate of page) {
          const { body } = await this.files.open(certificate);
          if (closed.signal.aborted) return void body.destroy();
          const entry = once(archive, 'entry', { signal: closed.signal });
          archive.append(body, { name: bundleEntryName(certificate), date: certificate.issuedAt });
          await entry.catch((error: Error) => {
            body.destroy();
            throw error;
          });
        }
        if (page.length < BUNDLE_PAGE) break;
        after = page[page.length - 1].seq;
      }
      await archive.finalize();
    };
    feed().catch((error: Error) => {
      if (!closed.signal.aborted) archive.destroy(error);
    });
    return { archive, fileName: `结业证书-${course.title}.zip` };
  }

  /** Certificates counted by unit and by branch, as a workbook for the department (Chinese headers). */
  async summaryXlsx(courseId: string, actor: AuthUser): Promise<{ workbook: Buffer; fileName: string }> {
    const { course } = await this.access.view(courseId, actor);
    const rows = await this.certificates.countByUnitAndBranch(courseId, adminUnitScope(actor));
    const workbook = new ExcelJS.Workbook();
    const byUnit = new Map<string, { live: number; revoked: number }>();
    for (const row of rows) {
      const key = row.unitName ?? '（未分配单位）';
      const sum = byUnit.get(key) ?? { live: 0, revoked: 0 };
      sum.live += row.live;
      sum.revoked += row.revoked;
      byUnit.set(key, sum);
    }
    const total = [...byUnit.values()].reduce((a, b) => ({ live: a.live + b.live, revoked: a.revoked + b.revoked }), { live: 0, revoked: 0 });

    const units = workbook.addWorksheet('按二级党组织', { views: [{ state: 'frozen', ySplit: 1 }] });
    units.columns = [{ header: '二级党组织', width: 32 }, { header: '有效证书', width: 12 }, { header: '已撤销', width: 12 }];
    units.getRow(1).font = { bold: true };
    for (const [name, sum] of byUnit) units.addRow([neutralizeCell(name), sum.live, sum.revoked]);
    units.addRow(['合计', total.live, total.revoked]).font = { bold: true };

    const branches = workbook.addWorksheet('按党支部', { views: [{ state: 'frozen', ySplit: 1 }] });
    branches.columns = [{ header: '二级党组织', width: 32 }, { header: '党支部', width: 32 }, { header: '有效证书', width: 12 }, { header: '已撤销', width: 12 }];
    branches.getRow(1).font = { bold: true };
    for (const row of rows) {
      branches.addRow([neutralizeCell(row.unitName ?? '（未分配单位）'), neutralizeCell(row.branchName ?? '（未分配党支部）'), row.live, row.revoked]);
    }
    return { workbook: Buffer.from(await workbook.xlsx.writeBuffer()), fileName: `结业证书统计-${course.title}.xlsx` };
  }

  // ---- Revoke and reissue (the department) ----

  async revoke(id: string, reason: string, actor: AuthUser): Promise<CertificateView> {
    assertDepartment(actor, '撤销或重新颁发结业证书');
    const revoked = await this.certificates.revoke(id, { reason, by: actor.id });
    const certificate = await this.certificates.findById(id);
    if (!certificate) throw certificateNotFound(id);
    if (!revoked) throw new ConflictException({ message: '该证书已被撤销', code: 'CERTIFICATE_REVOKED' });
    return this.view(certificate);
  }

  /**
   * Replaces a certificate with a new one (new serial and code; name, unit and branch as they are now,
   * credit hours as issued). A live original is revoked in the same transaction.
   */
  async reissue(id: string, reason: string, actor: AuthUser): Promise<CertificateView> {
    assertDepartment(actor, '撤销或重新颁发结业证书');
    const original = await this.certificates.findById(id);
    if (!original) throw certificateNotFound(id);
    const course = await this.courses.findById(original.courseId);
    if (!course) throw certificateNotFound(id);
    await this.certificates.ensureSequence(original.courseId);
    let created: Certificate;
    try {
      created = await this.transactions.run(async (manager) => {
        // The counter first, as the compile job does, so the two never wait on each other in opposite order.
        const lastSeq = await this.certificates.lockSequence(original.courseId, manager);
        const old = await this.certificates.lockById(id, manager);
        const person = (await this.people.labelsByIds([old.userId], manager)).get(old.userId)!;
        const names = await this.org.namesByIds(person.unitId ? [person.unitId] : [], person.branchId ? [person.branchId] : [], manager);
        if (old.live) await this.certificates.revoke(id, { reason: `重新颁发：${reason}`, by: actor.id }, manager);
        const seq = lastSeq + 1;
        const code = newVerificationCode();
        const saved = await this.certificates.insertOne(
          {
            courseId: old.courseId,
            userId: old.userId,
            batchId: null,
            seq,
            serial: formatSerial(chinaDate(course.startsAt).year, seq),
            verificationCode: code,
            codeHash: hashVerificationCode(code),
            live: true,
            name: person.name,
            unitId: person.unitId,
            unitName: person.unitId ? (names.units.get(person.unitId) ?? null) : null,
            branchId: person.branchId,
            branchName: person.branchId ? (names.branches.get(person.branchId) ?? null) : null,
            courseTitle: old.courseTitle,
            creditHours: old.creditHours,
            completedAt: old.completedAt,
            issuedAt: new Date(),
            reissueOfId: old.id,
          },
          manager,
        );
        await this.certificates.setSequence(old.courseId, seq, manager);
        return saved;
      });
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new ConflictException({
          message: '该证书已重新颁发过，或该学员已有一份有效证书',
          code: 'CERTIFICATE_ALREADY_LIVE',
        });
      }
      throw error;
    }
    await this.files.store([created], course);
    return this.view(created);
  }

  // ---- Helpers ----

  private maySee(certificate: Certificate, actor: AuthUser): boolean {
    if (certificate.userId === actor.id) return true;
    if (actor.role !== 'admin') return false;
    const unit = adminUnitScope(actor);
    return unit === null || certificate.unitId === unit;
  }

  /** Views of a page of certificates, each with the one that replaced it (one query for the page). */
  private async views(rows: Certificate[]): Promise<CertificateView[]> {
    const byOriginal = await this.certificates.successorsOf(rows.map((c) => c.id));
    return rows.map((c) => this.view(c, byOriginal.get(c.id) ?? null));
  }

  view(c: Certificate, replacedBy: CertificateView['replacedBy'] = null): CertificateView {
    return {
      id: c.id,
      courseId: c.courseId,
      courseTitle: c.courseTitle,
      userId: c.userId,
      name: c.name,
      unitId: c.unitId,
      unitName: c.unitName,
      branchId: c.branchId,
      branchName: c.branchName,
      serial: c.serial,
      verificationCode: c.verificationCode,
      verifyUrl: verificationUrl(this.config, c.verificationCode),
      creditHours: c.creditHours,
      issuedAt: c.issuedAt,
      revoked: c.revokedAt !== null,
      revokedAt: c.revokedAt,
      revokedReason: c.revokedReason,
      reissueOfId: c.reissueOfId,
      replacedBy,
    };
  }
}

function scopeOf(filter: { unitId?: string; branchId?: string }, actor: AuthUser): CertificateScope {
  return { adminUnitId: adminUnitScope(actor), unitId: filter.unitId, branchId: filter.branchId };
}

function certificateNotFound(id: string): NotFoundException {
  return new NotFoundException({ message: '证书不存在', code: 'CERTIFICATE_NOT_FOUND' });
}

/** `<unit>/<branch>/<serial>-<name>.pdf`, with characters no file system accepts replaced. */
function bundleEntryName(c: Certificate): string {
  const clean = (s: string | null, fallback: string) => (s ?? fallback).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || fallback;
  return `${clean(c.unitName, '未分配单位')}/${clean(c.branchName, '未分配党支部')}/${c.serial}-${clean(c.name, '学员')}.pdf`;
}
