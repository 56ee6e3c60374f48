import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Redis } from 'ioredis';
import { createHmac } from 'node:crypto';
import QRCode from 'qrcode';
import { adminUnitScope, AuthUser } from '../common/auth-user';
import ExcelJS from 'exceljs';
import { neutralizeCell, toExcelCsv } from '../common/csv';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Activity } from '../courses/activity.entity';
import type { SessionSettings } from '../access/activity-settings';
import { CourseAccessService } from '../access/course-access.service';
import { Transactions } from '../database/transactions';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import { OrgRepository } from '../org/org.repository';
import { UsersRepository } from '../users/users.repository';
import { ProgressService } from '../progress/progress.service';
import { REDIS } from '../redis/redis';
import { attendanceOutcome } from './attendance-completion';
import { AttendanceStatus } from './attendance.entity';
import { AttendanceRepository } from './attendance.repository';
import { safeEqual } from '../common/safe-equal';
import { assertOpen } from '../access/course-open';
import { inputException, problem, unknownTargetsException } from '../common/validation-errors';

/** A check-in code lives for one slot; the previous slot's code is still accepted (a phone typed slowly). */
export const CODE_SLOT_SECONDS = 15;
/** Check-in opens this long before the session starts. */
const EARLY_MINUTES = 30;
const openKey = (activityId: string) => `checkin:open:${activityId}`;
const ATTENDANCE_HEADER = ['工号', '姓名', '单位', '支部', '出勤', '方式', '请假原因', '记录时间'];

export interface AttendanceRow {
  user: { id: string; username: string; name: string; branch: string | null; unit: string | null };
  status: AttendanceStatus | null;
  method: 'code' | 'manual' | null;
  reason: string | null;
  recordedAt: Date | null;
}

/**
 * In-person sessions (集中培训): rotating check-in codes, each an HMAC of the session and the 15-second slot,
 * so every API process computes the same code with nothing stored but "check-in is open"; manual marking
 * with 请假 reasons, the attendance list, and offline 学时 through the progress engine.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly attendance: AttendanceRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly users: UsersRepository,
    private readonly org: OrgRepository,
    private readonly access: CourseAccessService,
    private readonly progress: ProgressService,
    private readonly transactions: Transactions,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The code of the slot containing `at` (six digits). */
  codeAt(activityId: string, at: number = Date.now()): string {
    const slot = Math.floor(at / 1000 / CODE_SLOT_SECONDS);
    const digest = createHmac('sha256', `checkin:${this.config.auth.jwtSecret}`).update(`${activityId}.${slot}`).digest();
    return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0');
  }

  async open(activityId: string, actor: AuthUser, open: boolean): Promise<{ open: boolean }> {
    const { activity } = await this.sessionForEdit(activityId, actor);
    if (!open) {
      await this.redis.del(openKey(activityId));
      return { open: false };
    }
    const ends = new Date((activity.settings as SessionSettings).endsAt).getTime();
    const ttl = Math.max(60, Math.ceil((ends - Date.now()) / 1000) + 3600);
    await this.redis.set(openKey(activityId), '1', 'EX', ttl);
    return { open: true };
  }

  /** What the projector shows: the current code, its QR image and when it changes. */
  async currentCode(activityId: string, actor: AuthUser) {
    await this.sessionForEdit(activityId, actor);
    if (!(await this.redis.exists(openKey(activityId)))) {
      throw new ConflictException({ message: '签到尚未开启', code: 'CHECKIN_CLOSED' });
    }
    const now = Date.now();
    const code = this.codeAt(activityId, now);
    const link = `${this.config.http.publicUrl}/checkin/${activityId}?code=${code}`;
    const slotEnds = (Math.floor(now / 1000 / CODE_SLOT_SECONDS) + 1) * CODE_SLOT_SECONDS * 1000;
    return {
      code,
      link,
      qr: await QRCode.toDataURL(link, { margin: 1, width: 512 }),
      expiresInSeconds: Math.ceil((slotEnds - now) / 1000),
      // The previous code is still accepted for one slot, so a code read at the last second still works.
      validUntil: new Date(slotEnds + CODE_SLOT_SECONDS * 1000),
      serverNow: new Date(now),
    };
  }

  /** For the staff's pages: whether check-in is open and how many have been marked present so far. */
  async status(activityId: string, actor: AuthUser): Promise<{ open: boolean; present: number }> {
    await this.sessionForEdit(activityId, actor);
    const scope = adminUnitScope(actor);
    const present = await this.attendance.countPresent(activityId, scope !== null ? this.users.idsInUnit(scope) : undefined);
    return { open: (await this.redis.exists(openKey(activityId))) === 1, present };
  }

  /** API.md's check-in-code: opens check-in if it is not open yet and answers the current code. */
  async issueCode(activityId: string, actor: AuthUser) {
    if (!(await this.redis.exists(openKey(activityId)))) await this.open(activityId, actor, true);
    return this.currentCode(activityId, actor);
  }

  /** A learner checks in with the current or previous code while the session's window is open. */
  async checkIn(activityId: string, actor: AuthUser, code: string) {
    const { activity } = await this.access.activityForLearning(activityId, actor, 'session');
    const settings = activity.settings as SessionSettings;
    const now = Date.now();
    const opensAt = new Date(settings.startsAt).getTime() - EARLY_MINUTES * 60_000;
    if (now < opensAt) throw new ConflictException({ message: '集中培训尚未开始签到', code: 'SESSION_NOT_STARTED' });
    if (now > new Date(settings.endsAt).getTime()) throw new ConflictException({ message: '集中培训已结束', code: 'SESSION_OVER' });
    const existing = await this.attendance.findOne(activityId, actor.id);
    if (existing?.status === 'present') return { status: 'present' as const, recordedAt: existing.recordedAt, alreadyCheckedIn: true };
    if (!(await this.redis.exists(openKey(activityId)))) {
      throw new ConflictException({ message: '签到尚未开启', code: 'CHECKIN_CLOSED' });
    }
    const valid = [now, now - CODE_SLOT_SECONDS * 1000].some((at) => safeEqual(this.codeAt(activityId, at), code));
    if (!valid) throw inputException([{ field: 'code', rule: 'wrongCode', message: '签到码不正确或已过期' }], 'CHECKIN_CODE_INVALID');
    await this.record(activity, [actor.id], 'present', 'code', null, actor.id);
    return { status: 'present' as const, recordedAt: new Date(), alreadyCheckedIn: false };
  }

  /** Instructors and admins mark by hand: present, absent, or excused (请假) with a reason. */
  async mark(activityId: string, userId: string, actor: AuthUser, status: AttendanceStatus, reason?: string) {
    // A unit admin marks only their unit's people: others are "not found" to them.
    const { activity } = await this.sessionForEdit(activityId, actor, [userId]);
    if (status === 'excused' && !reason?.trim()) {
      throw inputException([{ field: 'reason', rule: 'required', message: '请假需要填写原因' }], 'REASON_REQUIRED');
    }
    if (!(await this.enrollments.isActiveLearner(activity.courseId, userId))) throw new NotFoundException({ message: '该学员未报名本培训班', code: 'ENROLLMENT_NOT_FOUND' });
    await this.record(activity, [userId], status, 'manual', reason?.trim() || null, actor.id);
    return (await this.attendance.findOne(activityId, userId))!;
  }

  /**
   * Marks several learners present (or absent) at once, as API.md's attendance route does. Every user must be
   * an active learner of the course; otherwise nothing is written and each stray id is named.
   */
  async markMany(activityId: string, userIds: string[], present: boolean, actor: AuthUser) {
    const ids = [...new Set(userIds)];
    // A unit admin naming anyone outside their unit changes nothing: those people do not exist for them.
    const { activity } = await this.sessionForEdit(activityId, actor, ids);
    const enrolled = await this.enrollments.findActiveAmong(activity.courseId, ids);
    const strays = ids.filter((id) => !enrolled.has(id));
    if (strays.length) {
      throw inputException([problem('userIds', 'notLearners', { ids: strays })], 'ENROLLMENT_NOT_FOUND');
    }
    const status: AttendanceStatus = present ? 'present' : 'absent';
    // In id order: two lists marked at once take the learners' rows in the same order.
    await this.record(activity, [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)), status, 'manual', null, actor.id);
    return { updated: ids.length, status };
  }

  /** Every enrolled learner with their attendance (unit admins: their unit). */
  async list(activityId: string, actor: AuthUser): Promise<AttendanceRow[]> {
    const { activity } = await this.access.activityView(activityId, actor).then(async (v) => {
      if (v.activity.type !== 'session') throw new NotFoundException({ message: '该学习任务不是集中培训', code: 'NOT_A_SESSION' });
      if (v.role === 'learner') throw new NotFoundException({ message: '学习任务不存在', code: 'ACTIVITY_NOT_FOUND' });
      return v;
    });
    const scope = adminUnitScope(actor);
    const ids = await this.enrollments.findActiveLearnerIds(activity.courseId, scope !== null ? this.users.idsInUnit(scope) : undefined);
    const labels = [...(await this.users.labelsByIds(ids)).values()];
    const { units, branches } = await this.org.namesByIds(
      labels.flatMap((u) => (u.unitId ? [u.unitId] : [])),
      labels.flatMap((u) => (u.branchId ? [u.branchId] : [])),
    );
    const records = await this.attendance.findForLearners(activityId, ids);
    const rows = labels.map((u) => {
      const record = records.get(u.id);
      return {
        user: { id: u.id, username: u.username, name: u.name, branch: (u.branchId && branches.get(u.branchId)) ?? null, unit: (u.unitId && units.get(u.unitId)) ?? null },
        status: record?.status ?? null,
        method: record?.method ?? null,
        reason: record?.reason ?? null,
        recordedAt: record?.recordedAt ?? null,
      };
    });
    // By unit, branch and username, people without a unit or branch first, as the staff's paper lists go.
    return rows.sort((a, b) => byName(a.user.unit, b.user.unit) || byName(a.user.branch, b.user.branch) || byName(a.user.username, b.user.username));
  }

  async listCsv(activityId: string, actor: AuthUser): Promise<string> {
    return toExcelCsv(ATTENDANCE_HEADER, await this.exportRows(activityId, actor));
  }

  /** The same table as a worksheet: header row, frozen panes, column widths. */
  async listXlsx(activityId: string, actor: AuthUser): Promise<Buffer> {
    const rows = await this.exportRows(activityId, actor);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('考勤', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = ATTENDANCE_HEADER.map((header, i) => ({ header, width: [14, 12, 24, 24, 8, 8, 24, 18][i] }));
    sheet.getRow(1).font = { bold: true };
    // Cells that a spreadsheet would read as formulas are neutralized as in the CSV.
    for (const row of rows) sheet.addRow(row.map((cell) => neutralizeCell(cell)));
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  private async exportRows(activityId: string, actor: AuthUser): Promise<unknown[][]> {
    const rows = await this.list(activityId, actor);
    const names: Record<AttendanceStatus, string> = { present: '出席', absent: '缺席', excused: '请假' };
    return rows.map((r) => [
      r.user.username,
      r.user.name,
      r.user.unit,
      r.user.branch,
      r.status ? names[r.status] : '未签到',
      r.method === 'code' ? '签到码' : r.method === 'manual' ? '手工' : '',
      r.reason,
      r.recordedAt ? new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(new Date(r.recordedAt)) : '',
    ]);
  }

  /** One row per learner and session; the engine hears of every change (present grants offline 学时). */
  /**
   * Writes the attendance of these learners and the progress it earns in one transaction: for a whole list,
   * all or none (a failure halfway leaves no one marked), and never a record without its 学时.
   */
  private async record(activity: Activity, userIds: string[], status: AttendanceStatus, method: 'code' | 'manual', reason: string | null, by: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      for (const userId of userIds) {
        await this.attendance.record(manager, { activityId: activity.id, courseId: activity.courseId, userId, status, method, reason, recordedBy: by });
        await this.progress.applyIn(manager, userId, activity.id, attendanceOutcome(status));
      }
    });
  }

  /** The session for its editors; with learners, a unit admin reaches only their unit's (404, before any 409). */
  private async sessionForEdit(activityId: string, actor: AuthUser, learnerIds: string[] = []) {
    const found = await this.access.activityForLearnerWork(activityId, learnerIds, actor, learnersNotFound);
    if (found.activity.type !== 'session') throw new NotFoundException({ message: '该学习任务不是集中培训', code: 'NOT_A_SESSION' });
    assertOpen(found.course);
    return found;
  }
}

/** The database's order for names (utf8mb4_unicode_ci: case-insensitive, Chinese by code point), nulls first. */
function byName(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

function learnersNotFound(userIds: string[]): NotFoundException {
  return unknownTargetsException([problem('userIds', 'unknownId', { ids: userIds })], 'LEARNER_NOT_FOUND');
}
