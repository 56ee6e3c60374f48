import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuthUser, adminUnitScope } from '../common/auth-user';
import { Page } from '../common/pagination';
import { InputProblem, inputException, problemMessage } from '../common/validation-errors';
import { Transactions } from '../database/transactions';
import { EventBus } from '../events/event-bus';
import { BranchMembersService } from '../branch-members/branch-members.service';
import { BranchPlansService } from '../branch-plans/branch-plans.service';
import type { Norm, RecordRequirement } from '../norms/norm.entity';
import { NormsService } from '../norms/norms.service';
import { BranchScope } from '../org/branch-scope';
import type { Branch } from '../org/branch.entity';
import { OrgRepository } from '../org/org.repository';
import { renderMarkdown } from '../readings/text';
import { UserLabelsService } from '../users/user-labels.service';
import { BranchRecord, RecordStatus } from './branch-record.entity';
import { AttendanceDto, CorrectRecordDto, CreateRecordDto, ListRecordsQuery, ReviewQueueQuery, ReviewRecordDto, UpdateRecordDto } from './dto/record.dto';
import { RecordCountsRepository } from './record-counts.repository';
import { HandbookRepository } from './handbook.repository';
import type { RecordAttachment } from './record-attachment.entity';
import type { RecordAttendance } from './record-attendance.entity';
import type { RecordCorrection } from './record-correction.entity';

/** The kind of a record no norm names. */
export const OTHER_KIND = 'other';

/** What each requirement of a norm is called where a secretary reads it. */
export const REQUIREMENT_LABELS: Record<RecordRequirement, string> = {
  attendance: '出席情况',
  topic: '议题',
  minutes: '会议记录',
  photos: '照片',
  signInSheet: '签到表',
};

const STATUS_LABELS: Record<RecordStatus, string> = { draft: '草稿', submitted: '待审核', accepted: '已通过', returned: '已退回' };

export interface AttendeeView {
  memberId: string;
  name: string;
  category: 'full' | 'probationary';
  reason: string | null;
}

export interface AttachmentView {
  id: string;
  kind: RecordAttachment['kind'];
  mimeType: string;
  fileName: string;
  size: number;
  url: string;
  createdAt: Date;
}

export interface CorrectionView {
  id: string;
  field: string;
  oldValue: string | null;
  newValue: string;
  reason: string;
  author: { id: string; name: string };
  createdAt: Date;
}

export interface RecordSummary {
  id: string;
  branchId: string;
  branchName: string | null;
  year: number;
  kind: string;
  normId: string | null;
  title: string;
  heldAt: Date;
  place: string;
  status: RecordStatus;
  planItemId: string | null;
  presentFull: number;
  presentProbationary: number;
  absentCount: number;
  submittedAt: Date | null;
  reviewedAt: Date | null;
  updatedAt: Date;
}

export interface RecordView extends RecordSummary {
  chair: string | null;
  recorder: string | null;
  minutes: string;
  minutesHtml: string;
  resolutions: string | null;
  reviewComment: string | null;
  reviewedBy: { id: string; name: string } | null;
  attendance: { present: AttendeeView[]; absent: AttendeeView[] };
  attachments: AttachmentView[];
  corrections: CorrectionView[];
  createdAt: Date;
}

const RECORD_NOT_FOUND = () => new NotFoundException({ message: '工作纪实不存在', code: 'RECORD_NOT_FOUND' });

/**
 * The handbook's records (工作纪实): written by the branch's secretary, submitted once they hold what the
 * norm asks, reviewed by the unit (accepted or returned with a comment). An accepted record is locked: it
 * changes only through corrections, each kept with who, when and why. Every change of a record's status or
 * plan item is told to the plans (in the same transaction) through 'branchRecord.changed'.
 */
@Injectable()
export class RecordsService {
  constructor(
    private readonly records: HandbookRepository,
    private readonly scope: BranchScope,
    private readonly norms: NormsService,
    private readonly members: BranchMembersService,
    private readonly plans: BranchPlansService,
    private readonly transactions: Transactions,
    private readonly events: EventBus,
    private readonly labels: UserLabelsService,
    private readonly org: OrgRepository,
    private readonly counts: RecordCountsRepository,
  ) {}

  async create(branchId: string, dto: CreateRecordDto, actor: AuthUser): Promise<RecordView> {
    const branch = await this.scope.branch(branchId, actor, 'keep');
    const heldAt = new Date(dto.heldAt);
    const year = beijingYear(heldAt);
    await this.assertKind(dto.kind, year);
    const id = await this.transactions.run(async (manager) => {
      if (dto.planItemId) await this.assertPlanItem(dto.planItemId, branch.id, year, manager);
      const attendance = await this.attendanceRows(branch.id, dto.attendance, manager);
      const saved = await this.records.insertRecord(manager, {
        branchId: branch.id,
        year,
        kind: dto.kind,
        title: dto.title,
        heldAt,
        place: dto.place,
        chair: dto.chair || null,
        recorder: dto.recorder || null,
        minutes: dto.minutes,
        resolutions: dto.resolutions || null,
        planItemId: dto.planItemId ?? null,
        status: 'draft',
        createdBy: actor.id,
        ...counts(attendance),
      });
      await this.records.replaceAttendance(manager, saved.id, attendance);
      await this.tell(manager, saved, null);
      return saved.id;
    });
    return this.view(id);
  }

  async list(branchId: string, query: ListRecordsQuery, actor: AuthUser): Promise<Page<RecordSummary>> {
    const branch = await this.scope.branch(branchId, actor, 'read');
    const [rows, total] = await this.records.listByBranch(branch.id, query, { skip: query.skip, take: query.pageSize });
    return { items: rows.map((r) => summary(r, branch.name)), total, page: query.page, pageSize: query.pageSize };
  }

  /** Records across branches for admins: a unit admin's unit (another unit is a 404), the department's all or one unit. */
  async queue(query: ReviewQueueQuery, actor: AuthUser): Promise<Page<RecordSummary>> {
    const own = adminUnitScope(actor);
    if (own !== null && query.unitId && query.unitId !== own) throw new NotFoundException({ message: '二级党组织不存在', code: 'UNIT_NOT_FOUND' });
    const unitId = own ?? query.unitId ?? null;
    const [rows, total] = await this.records.listForReview(unitId ? { unitId } : null, { ...query, status: query.status ?? 'submitted' }, { skip: query.skip, take: query.pageSize });
    const names = await this.org.namesByIds([], [...new Set(rows.map((r) => r.branchId))]);
    return { items: rows.map((r) => summary(r, names.branches.get(r.branchId) ?? null)), total, page: query.page, pageSize: query.pageSize };
  }

  async get(id: string, actor: AuthUser): Promise<RecordView> {
    await this.readable(id, actor);
    return this.view(id);
  }

  /** The record and its branch, if the caller may read it (404 otherwise, as for an unknown id). */
  async readable(id: string, actor: AuthUser): Promise<{ record: BranchRecord; branch: Branch }> {
    const record = await this.records.findRecord(id);
    if (!record) throw RECORD_NOT_FOUND();
    const branch = await this.scope.branch(record.branchId, actor, 'read').catch((error: unknown) => {
      throw error instanceof NotFoundException ? RECORD_NOT_FOUND() : error;
    });
    return { record, branch };
  }

  /** The branch's secretary changes a draft or returned record; a submitted one waits for its review, an accepted one is locked. */
  async update(id: string, dto: UpdateRecordDto, actor: AuthUser): Promise<RecordView> {
    const { record: current } = await this.keepable(id, actor);
    const heldAt = dto.heldAt ? new Date(dto.heldAt) : current.heldAt;
    const year = beijingYear(heldAt);
    const kind = dto.kind ?? current.kind;
    if (dto.kind !== undefined || year !== current.year) await this.assertKind(kind, year);
    await this.transactions.run(async (manager) => {
      const record = await this.lockEditable(manager, id);
      const planItemId = dto.planItemId === undefined ? record.planItemId : dto.planItemId;
      if (planItemId && (planItemId !== record.planItemId || year !== record.year)) await this.assertPlanItem(planItemId, record.branchId, year, manager);
      const values: Partial<BranchRecord> = { year, kind, heldAt, planItemId };
      if (dto.title !== undefined) values.title = dto.title;
      if (dto.place !== undefined) values.place = dto.place;
      if (dto.chair !== undefined) values.chair = dto.chair || null;
      if (dto.recorder !== undefined) values.recorder = dto.recorder || null;
      if (dto.minutes !== undefined) values.minutes = dto.minutes;
      if (dto.resolutions !== undefined) values.resolutions = dto.resolutions || null;
      if (dto.attendance) {
        const attendance = await this.attendanceRows(record.branchId, dto.attendance, manager);
        Object.assign(values, counts(attendance));
        await this.records.replaceAttendance(manager, id, attendance);
      }
      await this.records.updateRecord(manager, id, values);
      await this.tell(manager, { ...record, ...values }, record);
    });
    return this.view(id);
  }

  /** Sends a draft or returned record for review once it holds everything its norm asks for. */
  async submit(id: string, actor: AuthUser): Promise<RecordView> {
    const { record: current } = await this.keepable(id, actor);
    const norm = await this.normOf(current.kind, current.year);
    await this.transactions.run(async (manager) => {
      const record = await this.lockEditable(manager, id);
      const missing = await this.missing(record, norm?.requires ?? [], manager);
      if (missing.length) {
        throw new BadRequestException({
          message: `提交审核前还需补充：${missing.map((m) => REQUIREMENT_LABELS[m]).join('、')}`,
          code: 'RECORD_INCOMPLETE',
          missing,
        });
      }
      const values = { status: 'submitted' as const, submittedAt: new Date(), normId: norm?.id ?? null };
      await this.records.updateRecord(manager, id, values);
      await this.tell(manager, { ...record, ...values }, record);
    });
    return this.view(id);
  }

  /**
   * The unit's (or the department's) decision on a submitted record. Two reviewers at the same moment: the
   * first one's decision stands, the other is told the record was just reviewed (409), never overwritten.
   */
  async review(id: string, dto: ReviewRecordDto, actor: AuthUser): Promise<RecordView> {
    const record = await this.records.findRecord(id);
    if (!record) throw RECORD_NOT_FOUND();
    await this.scope.branch(record.branchId, actor, 'review').catch((error: unknown) => {
      throw error instanceof NotFoundException ? RECORD_NOT_FOUND() : error;
    });
    if (dto.decision === 'return' && !dto.comment) {
      throw inputException([{ field: 'comment', rule: 'required', message: '退回时请填写审核意见，说明需要修改的地方' }]);
    }
    const status: RecordStatus = dto.decision === 'accept' ? 'accepted' : 'returned';
    await this.transactions.run(async (manager) => {
      const values = { status, reviewComment: dto.comment || null, reviewedBy: actor.id, reviewedAt: new Date() };
      if (!(await this.records.moveStatus(manager, id, 'submitted', values))) {
        const now = await this.records.findRecord(id, manager);
        if (now && (now.status === 'accepted' || (now.status === 'returned' && now.reviewedAt))) {
          throw new ConflictException({ message: `该工作纪实刚刚已被审核（${STATUS_LABELS[now.status]}），请刷新后查看`, code: 'RECORD_ALREADY_REVIEWED', status: now.status });
        }
        throw new ConflictException({ message: '该工作纪实尚未提交审核', code: 'RECORD_NOT_SUBMITTED' });
      }
      await this.tell(manager, { ...record, ...values }, record);
    });
    return this.view(id);
  }

  /** A correction of an accepted record: the field takes the new value and the record keeps who changed what, when and why. */
  async correct(id: string, dto: CorrectRecordDto, actor: AuthUser): Promise<RecordView> {
    await this.keepable(id, actor);
    await this.transactions.run(async (manager) => {
      const record = await this.records.lockRecord(manager, id);
      if (!record) throw RECORD_NOT_FOUND();
      if (record.status !== 'accepted') {
        throw new ConflictException({ message: '只有已通过审核的工作纪实需要更正；未通过审核的可以直接修改', code: 'RECORD_NOT_ACCEPTED' });
      }
      const nullable = dto.field === 'chair' || dto.field === 'recorder' || dto.field === 'resolutions';
      const value = dto.field === 'minutes' || dto.field === 'resolutions' ? dto.value : dto.value.trim();
      const problem = correctionProblem(dto.field, value);
      if (problem) throw inputException([problem]);
      const oldValue = record[dto.field];
      const newValue = nullable && value === '' ? null : value;
      if ((oldValue ?? '') === (newValue ?? '')) throw new BadRequestException({ message: '更正后的内容与原内容相同', code: 'CORRECTION_UNCHANGED' });
      await this.records.updateRecord(manager, id, { [dto.field]: newValue });
      await this.records.insertCorrection(manager, { recordId: id, field: dto.field, oldValue, newValue: newValue ?? '', reason: dto.reason, authorId: actor.id });
    });
    return this.view(id);
  }

  /** The record, if the caller is its branch's secretary (others who may read it: 403; others: 404). */
  async keepable(id: string, actor: AuthUser): Promise<{ record: BranchRecord; branch: Branch }> {
    const record = await this.records.findRecord(id);
    if (!record) throw RECORD_NOT_FOUND();
    const branch = await this.scope.branch(record.branchId, actor, 'keep').catch((error: unknown) => {
      throw error instanceof NotFoundException ? RECORD_NOT_FOUND() : error;
    });
    return { record, branch };
  }

  /** Locks the record for a change by its secretary: only a draft or a returned record changes. */
  async lockEditable(manager: EntityManager, id: string): Promise<BranchRecord> {
    const record = await this.records.lockRecord(manager, id);
    if (!record) throw RECORD_NOT_FOUND();
    if (record.status === 'accepted') {
      throw new ConflictException({ message: '该工作纪实已通过审核并锁定，不能修改；如有错误请提交更正', code: 'RECORD_LOCKED' });
    }
    if (record.status === 'submitted') {
      throw new ConflictException({ message: '该工作纪实已提交审核，审核结果出来前不能修改', code: 'RECORD_UNDER_REVIEW' });
    }
    return record;
  }

  /** The whole record as its readers see it: attendance, attachments and the history of corrections. */
  async view(id: string): Promise<RecordView> {
    const record = await this.records.findRecord(id);
    if (!record) throw RECORD_NOT_FOUND();
    const [attendance, attachments, corrections, names] = await Promise.all([
      this.records.attendanceOf([id]),
      this.records.attachmentsOf([id]),
      this.records.correctionsOf([id]),
      this.org.namesByIds([], [record.branchId]),
    ]);
    const people = await this.labels.byIds([...new Set([...corrections.map((c) => c.authorId), ...(record.reviewedBy ? [record.reviewedBy] : [])])]);
    const person = (personId: string) => ({ id: personId, name: people.get(personId)?.name ?? '' });
    return {
      ...summary(record, names.branches.get(record.branchId) ?? null),
      chair: record.chair,
      recorder: record.recorder,
      minutes: record.minutes,
      minutesHtml: renderMarkdown(record.minutes),
      resolutions: record.resolutions,
      reviewComment: record.reviewComment,
      reviewedBy: record.reviewedBy ? person(record.reviewedBy) : null,
      attendance: {
        present: attendance.filter((a) => a.present).map(attendee),
        absent: attendance.filter((a) => !a.present).map(attendee),
      },
      attachments: attachments.map(attachmentView),
      corrections: corrections.map((c: RecordCorrection) => ({
        id: c.id,
        field: c.field,
        oldValue: c.oldValue,
        newValue: c.newValue,
        reason: c.reason,
        author: person(c.authorId),
        createdAt: c.createdAt,
      })),
      createdAt: record.createdAt,
    };
  }

  /** The norm of `kind` in the year's norms, if any. */
  async normOf(kind: string, year: number): Promise<Norm | null> {
    if (kind === OTHER_KIND) return null;
    return (await this.norms.forYear(year)).items.find((n) => n.kind === kind) ?? null;
  }

  private async assertKind(kind: string, year: number): Promise<void> {
    if (kind === OTHER_KIND) return;
    const set = await this.norms.forYear(year);
    if (!set.items.some((n) => n.kind === kind)) {
      const allowed = [...set.items.map((n) => n.kind), OTHER_KIND];
      throw inputException([{ field: 'kind', rule: 'oneOf', params: { allowed }, message: `类型须为${year}年工作规范中的活动类型，或 other（其他活动）` }]);
    }
  }

  private async assertPlanItem(planItemId: string, branchId: string, year: number, manager: EntityManager): Promise<void> {
    const item = await this.plans.itemOfBranch(planItemId, branchId, year, manager);
    if (!item) {
      throw inputException([{ field: 'planItemId', rule: 'unknownId', params: { ids: [planItemId] }, message: `年度计划事项不在本支部${year}年的计划中：${planItemId}` }]);
    }
  }

  /** The attendance rows, names and categories copied from the branch's member list as it is today. */
  private async attendanceRows(branchId: string, dto: AttendanceDto, manager: EntityManager): Promise<Omit<RecordAttendance, 'recordId'>[]> {
    const present = [...new Set(dto.present)];
    const absentIds = dto.absent.map((a) => a.memberId);
    const problems: InputProblem[] = [];
    const twice = [...new Set([...present.filter((p) => absentIds.includes(p)), ...absentIds.filter((a, i) => absentIds.indexOf(a) !== i)])];
    if (twice.length) problems.push({ field: 'attendance', rule: 'format', message: `同一名党员不能既出席又缺席，也不能重复列出：${twice.join('、')}` });
    const found = await this.members.membersOf(branchId, [...present, ...absentIds], manager);
    const unknown = [...new Set([...present, ...absentIds])].filter((memberId) => !found.has(memberId));
    if (unknown.length) problems.push({ field: 'attendance', rule: 'unknownId', params: { ids: unknown }, message: `出席情况中有不是本支部党员的人：${unknown.join('、')}` });
    if (problems.length) throw inputException(problems);
    const row = (memberId: string, isPresent: boolean, reason: string | null) => {
      const member = found.get(memberId)!;
      return { memberId, memberName: member.name, category: member.category, present: isPresent, reason };
    };
    return [...present.map((p) => row(p, true, null)), ...dto.absent.map((a) => row(a.memberId, false, a.reason))];
  }

  /** What the norm requires that the record does not yet hold. */
  private async missing(record: BranchRecord, requires: RecordRequirement[], manager: EntityManager): Promise<RecordRequirement[]> {
    const attachments = requires.some((r) => r === 'photos' || r === 'signInSheet') ? await this.records.attachmentsOf([record.id], manager) : [];
    const holds: Record<RecordRequirement, boolean> = {
      attendance: record.presentFull + record.presentProbationary > 0,
      topic: record.title.trim().length > 0,
      minutes: record.minutes.trim().length > 0,
      photos: attachments.some((a) => a.kind === 'photo'),
      signInSheet: attachments.some((a) => a.kind === 'signInSheet'),
    };
    return requires.filter((r) => !holds[r]);
  }

  private async tell(
    manager: EntityManager,
    record: Pick<BranchRecord, 'id' | 'branchId' | 'status' | 'planItemId' | 'year'>,
    before: Pick<BranchRecord, 'planItemId' | 'year'> | null,
  ): Promise<void> {
    // The branch's stored counts of the year(s) the record counts in, in the same transaction (the compliance overview reads them).
    await this.counts.recount(manager, record.branchId, record.year);
    if (before && before.year !== record.year) await this.counts.recount(manager, record.branchId, before.year);
    await this.events.emitInTransaction(manager, 'branchRecord.changed', {
      recordId: record.id,
      branchId: record.branchId,
      status: record.status,
      planItemId: record.planItemId,
      previousPlanItemId: before?.planItemId ?? null,
      year: record.year,
      previousYear: before?.year ?? null,
    });
  }

}

/** The year in Beijing of a moment: a meeting at 00:30 on 1 January Beijing time counts in the new year. */
export function beijingYear(at: Date): number {
  return new Date(at.getTime() + 8 * 3600_000).getUTCFullYear();
}

function counts(rows: Omit<RecordAttendance, 'recordId'>[]) {
  return {
    presentFull: rows.filter((r) => r.present && r.category === 'full').length,
    presentProbationary: rows.filter((r) => r.present && r.category === 'probationary').length,
    absentCount: rows.filter((r) => !r.present).length,
  };
}

function summary(r: BranchRecord, branchName: string | null): RecordSummary {
  return {
    id: r.id,
    branchId: r.branchId,
    branchName,
    year: r.year,
    kind: r.kind,
    normId: r.normId,
    title: r.title,
    heldAt: r.heldAt,
    place: r.place,
    status: r.status,
    planItemId: r.planItemId,
    presentFull: r.presentFull,
    presentProbationary: r.presentProbationary,
    absentCount: r.absentCount,
    submittedAt: r.submittedAt,
    reviewedAt: r.reviewedAt,
    updatedAt: r.updatedAt,
  };
}

function attendee(a: RecordAttendance): AttendeeView {
  return { memberId: a.memberId, name: a.memberName, category: a.category, reason: a.reason };
}

export function attachmentView(a: RecordAttachment): AttachmentView {
  return { id: a.id, kind: a.kind, mimeType: a.mimeType, fileName: a.fileName, size: a.size, url: `/api/records/${a.recordId}/attachments/${a.id}`, createdAt: a.createdAt };
}

/** The corrected value must fit its column, and a title may not be emptied. */
function correctionProblem(field: string, value: string): InputProblem | null {
  const max: Record<string, number> = { title: 200, place: 200, chair: 50, recorder: 50, minutes: 100_000, resolutions: 20_000 };
  if (field === 'title' && value === '') return { field: 'value', rule: 'notEmpty', message: '标题不能更正为空' };
  if (value.length > max[field]) return { field: 'value', rule: 'maxLength', params: { max: max[field] }, message: problemMessage('value', 'maxLength', { max: max[field] }) };
  return null;
}
