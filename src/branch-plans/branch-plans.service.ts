import { ConflictException, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { adminUnitScope, type AuthUser } from '../common/auth-user';
import type { Page } from '../common/pagination';
import { inputException, problem, type InputProblem } from '../common/validation-errors';
import { Transactions } from '../database/transactions';
import type { InTransactionEvents } from '../events/event-map';
import { OnEventInTransaction } from '../events/on-event.decorator';
import { beijingDay } from '../norms/beijing-calendar';
import type { Norm } from '../norms/norm.entity';
import { NormsService } from '../norms/norms.service';
import type { Branch } from '../org/branch.entity';
import { BranchScope } from '../org/branch-scope';
import { OrgRepository } from '../org/org.repository';
import { OrgService } from '../org/org.service';
import type { BranchPlan, PlanStatus } from './branch-plan.entity';
import { BranchPlansRepository, type NewPlanItem, type PlanRow } from './branch-plans.repository';
import type { ListPlansQuery, PlanItemInputDto, ReviewPlanDto } from './dto/branch-plans.dto';
import type { PlanItem } from './plan-item.entity';
import { planPdf, planTitle, planXlsx } from './plan-export';
import { itemState, normsFor, OWN_KIND, prefilledItems, shortfalls, shortfallText, type PlanItemState, type Shortfall } from './plan-rules';

export interface PlanItemView {
  id: string | null;
  month: number;
  kind: string;
  title: string;
  normId: string | null;
  state: PlanItemState;
  recordIds: string[];
}

export interface PlanView {
  branchId: string;
  branchName: string;
  year: number;
  status: PlanStatus;
  stored: boolean;
  reviewComment: string | null;
  submittedAt: Date | null;
  reviewedAt: Date | null;
  items: PlanItemView[];
  shortfalls: Shortfall[];
}

/** The statuses in which the secretary may still change the plan. */
const EDITABLE: PlanStatus[] = ['draft', 'returned'];

/**
 * A branch's annual plan (一表, 党支部学习活动年度安排表): drafted from the year's norms by its secretary,
 * approved or returned by its unit. Every change to one plan runs under a lock of its row, so two saves at the
 * same moment run one after the other and each answers the plan exactly as it left it. Items are checkable:
 * done once a record that fulfils them is accepted (kept from the handbook's events), else due, overdue or planned.
 */
@Injectable()
export class BranchPlansService {
  constructor(
    private readonly plans: BranchPlansRepository,
    private readonly norms: NormsService,
    private readonly scope: BranchScope,
    private readonly org: OrgService,
    private readonly orgRows: OrgRepository,
    private readonly transactions: Transactions,
  ) {}

  /**
   * The year's plans the caller may review, for the review queue (`status=submitted`): a unit admin's unit's,
   * the department's all (or one unit's). Only plans a secretary has saved or submitted are listed.
   */
  async list(query: ListPlansQuery, actor: AuthUser): Promise<Page<PlanRow & { branchName: string }>> {
    const scope = adminUnitScope(actor);
    // Another unit's id is a 404 for a unit admin, as everywhere.
    if (query.unitId) await this.org.visibleUnit(query.unitId, actor, 'unitId');
    const unitId = query.unitId ?? scope;
    const [rows, total] = await this.plans.pagePlans({
      year: query.year ?? beijingDay().year,
      status: query.status,
      inBranches: unitId ? this.orgRows.branchIdsInUnit(unitId) : null,
      skip: query.skip,
      take: query.pageSize,
    });
    const { branches } = await this.orgRows.namesByIds([], rows.map((r) => r.branchId));
    return { items: rows.map((r) => ({ ...r, branchName: branches.get(r.branchId) ?? '' })), total, page: query.page, pageSize: query.pageSize };
  }

  /** The item if it is in this branch's plan for `year`; null otherwise (another branch's item is no item). */
  async itemOfBranch(itemId: string, branchId: string, year: number, manager?: EntityManager): Promise<PlanItem | null> {
    const found = await this.plans.findItemWithPlan(itemId, manager);
    return found && found.branchId === branchId && found.year === year ? found.item : null;
  }

  /** The branch's stored plan of a year with its items (the printed handbook prints it); null when none is stored. */
  storedPlan(branchId: string, year: number): Promise<{ plan: BranchPlan; items: PlanItem[] } | null> {
    return this.plans.planWithItems(branchId, year);
  }

  /** The plan; a plan nobody saved yet is answered as the draft pre-filled from the norms (and not stored). */
  async get(branchId: string, year: number, actor: AuthUser): Promise<PlanView> {
    const branch = await this.scope.branch(branchId, actor, 'read');
    const norms = await this.applicableNorms(branch, year);
    const plan = await this.plans.findPlan(branchId, year);
    if (!plan) {
      const items = prefilledItems(norms);
      return this.view(branch, year, null, items.map((i) => ({ ...i, id: null })), norms);
    }
    return this.view(branch, year, plan, await this.plans.itemsOf(plan.id), norms);
  }

  /**
   * The secretary's whole list of items while the plan is a draft or returned: items with an id are kept (and
   * keep their records), new ones added, those left out removed — unless a record already fulfils them.
   */
  async save(branchId: string, year: number, input: PlanItemInputDto[], actor: AuthUser): Promise<PlanView> {
    const branch = await this.scope.branch(branchId, actor, 'keep');
    const norms = await this.applicableNorms(branch, year);
    return this.transactions.run(async (manager) => {
      const plan = await this.lockOrCreate(manager, branchId, year, null);
      assertEditable(plan);
      const existing = await this.plans.itemsOf(plan.id, manager);
      const items = this.checkItems(input, norms, existing);
      const keptIds = new Set(items.flatMap((i) => (i.id ? [i.id] : [])));
      const removed = existing.filter((i) => !keptIds.has(i.id));
      const linked = await this.plans.linksOf(removed.map((i) => i.id), manager);
      if (linked.length) {
        const titles = [...new Set(linked.map((l) => removed.find((i) => i.id === l.planItemId)!.title))].join('、');
        throw new ConflictException({ message: `「${titles}」已有工作纪实对应，不能从计划中删除`, code: 'PLAN_ITEM_HAS_RECORDS' });
      }
      await this.plans.deleteItems(manager, removed.map((i) => i.id));
      const fresh: NewPlanItem[] = [];
      for (const item of items) {
        const fields: NewPlanItem = { month: item.month, kind: item.kind, title: item.title, normId: item.normId, position: item.position };
        if (item.id) await this.plans.updateItem(manager, item.id, fields);
        else fresh.push(fields);
      }
      await this.plans.insertItems(manager, plan.id, fresh);
      return this.view(branch, year, plan, await this.plans.itemsOf(plan.id, manager), norms, manager);
    });
  }

  /** The secretary hands the plan to the unit; a plan never saved is submitted as pre-filled. It must meet the norms. */
  async submit(branchId: string, year: number, actor: AuthUser): Promise<PlanView> {
    const branch = await this.scope.branch(branchId, actor, 'keep');
    const norms = await this.applicableNorms(branch, year);
    return this.transactions.run(async (manager) => {
      const plan = await this.lockOrCreate(manager, branchId, year, prefilledItems(norms));
      if (plan.status === 'submitted') throw new ConflictException({ message: '年度计划已提交，正在等待审核', code: 'PLAN_ALREADY_SUBMITTED' });
      assertEditable(plan);
      const items = await this.plans.itemsOf(plan.id, manager);
      const missing = shortfalls(norms, items);
      if (missing.length) {
        const listed = missing.slice(0, 5).map(shortfallText).join('；');
        throw new ConflictException({ message: `年度计划未达到工作规范的要求：${listed}${missing.length > 5 ? ` 等 ${missing.length} 处` : ''}`, code: 'PLAN_BELOW_NORMS' });
      }
      const change = { status: 'submitted' as const, submittedAt: new Date(), reviewComment: null };
      await this.plans.updatePlan(manager, plan.id, change);
      return this.view(branch, year, { ...plan, ...change }, items, norms, manager);
    });
  }

  /** The unit (or the department) approves the submitted plan, or returns it with a comment saying what to change. */
  async review(branchId: string, year: number, dto: ReviewPlanDto, actor: AuthUser): Promise<PlanView> {
    const branch = await this.scope.branch(branchId, actor, 'review');
    if (dto.decision === 'return' && !dto.comment) throw inputException([problem('comment', 'required')]);
    const norms = await this.applicableNorms(branch, year);
    return this.transactions.run(async (manager) => {
      const plan = await this.plans.lockPlan(manager, branchId, year);
      if (!plan || plan.status !== 'submitted') {
        throw new ConflictException({ message: '年度计划尚未提交或已审核，不能审核', code: 'PLAN_NOT_SUBMITTED' });
      }
      const change = { status: dto.decision === 'approve' ? ('approved' as const) : ('returned' as const), reviewComment: dto.comment || null, reviewedBy: actor.id, reviewedAt: new Date() };
      await this.plans.updatePlan(manager, plan.id, change);
      return this.view(branch, year, { ...plan, ...change }, await this.plans.itemsOf(plan.id, manager), norms, manager);
    });
  }

  /** The plan as the printed 年度安排表: an XLSX workbook or an A4 PDF. */
  async export(branchId: string, year: number, format: 'xlsx' | 'pdf', actor: AuthUser): Promise<{ body: Buffer; fileName: string; type: string }> {
    const plan = await this.get(branchId, year, actor);
    const names = new Map((await this.norms.forYear(year)).items.map((n) => [n.kind, n.name]));
    const fileName = `${planTitle(plan)}.${format}`;
    return format === 'pdf'
      ? { body: await planPdf(plan, names), fileName, type: 'application/pdf' }
      : { body: await planXlsx(plan, names), fileName, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  }

  /**
   * A handbook record was written, submitted, reviewed or re-linked: it fulfils the item it names (accepted or
   * not yet) and no other. In the record's own transaction, so the plan never disagrees with the handbook.
   */
  @OnEventInTransaction('branchRecord.changed')
  async followRecord(event: InTransactionEvents['branchRecord.changed'], manager: EntityManager): Promise<void> {
    await this.plans.unlinkRecordExcept(manager, event.recordId, event.planItemId);
    if (event.planItemId) await this.plans.linkRecord(manager, event.planItemId, event.recordId, event.status === 'accepted');
  }

  private async applicableNorms(branch: Branch, year: number): Promise<Norm[]> {
    return normsFor((await this.norms.forYear(year)).items, branch.kind);
  }

  /** The plan row, locked; added first (with `prefill`'s items, if given) when the branch has none for the year. */
  private async lockOrCreate(manager: EntityManager, branchId: string, year: number, prefill: NewPlanItem[] | null): Promise<BranchPlan> {
    const locked = await this.plans.lockPlan(manager, branchId, year);
    if (locked) return locked;
    const added = await this.plans.insertPlanIfMissing(manager, branchId, year);
    const plan = (await this.plans.lockPlan(manager, branchId, year))!;
    if (added && prefill) await this.plans.insertItems(manager, plan.id, prefill);
    return plan;
  }

  /** The items as sent, checked: kinds the norms know (or `own`), ids that are this plan's, each id once. */
  private checkItems(input: PlanItemInputDto[], norms: Norm[], existing: PlanItem[]): Array<NewPlanItem & { id: string | null }> {
    const byKind = new Map(norms.map((n) => [n.kind, n]));
    const existingById = new Map(existing.map((i) => [i.id, i]));
    const problems: InputProblem[] = [];
    const seen = new Set<string>();
    input.forEach((item, i) => {
      const kept = item.id ? existingById.get(item.id) : undefined;
      if (item.kind !== OWN_KIND && !byKind.has(item.kind) && kept?.kind !== item.kind) {
        problems.push({ ...problem(`items.${i}.kind`, 'oneOf'), message: `第 ${i + 1} 项的类型「${item.kind}」不在本年度的工作规范中` });
      }
      if (item.id && seen.has(item.id)) problems.push({ ...problem(`items.${i}.id`, 'format'), message: `第 ${i + 1} 项与前面的计划项重复` });
      if (item.id) seen.add(item.id);
    });
    if (problems.length) throw inputException(problems, 'PLAN_ITEMS_INVALID');
    const gone = input.filter((item) => item.id && !existingById.has(item.id));
    if (gone.length) throw new ConflictException({ message: '年度计划已被修改，部分计划项已不存在，请刷新后重试', code: 'PLAN_CHANGED' });
    const positions = new Map<number, number>();
    return input.map((item) => {
      const position = positions.get(item.month) ?? 0;
      positions.set(item.month, position + 1);
      const normId = item.kind === OWN_KIND ? null : (byKind.get(item.kind)?.id ?? existingById.get(item.id!)?.normId ?? null);
      return { id: item.id ?? null, month: item.month, kind: item.kind, title: item.title, normId, position };
    });
  }

  private async view(
    branch: Branch,
    year: number,
    plan: Pick<BranchPlan, 'status' | 'reviewComment' | 'submittedAt' | 'reviewedAt'> | null,
    items: Array<NewPlanItem & { id: string | null }>,
    norms: Norm[],
    manager?: EntityManager,
  ): Promise<PlanView> {
    const sorted = [...items].sort((a, b) => a.month - b.month || a.position - b.position || Number(a.id ?? 0) - Number(b.id ?? 0));
    const links = await this.plans.linksOf(sorted.flatMap((i) => (i.id ? [i.id] : [])), manager);
    const today = beijingDay();
    return {
      branchId: branch.id,
      branchName: branch.name,
      year,
      status: plan?.status ?? 'draft',
      stored: plan !== null,
      reviewComment: plan?.reviewComment ?? null,
      submittedAt: plan?.submittedAt ?? null,
      reviewedAt: plan?.reviewedAt ?? null,
      items: sorted.map((item) => {
        const own = links.filter((l) => l.planItemId === item.id);
        return {
          id: item.id,
          month: item.month,
          kind: item.kind,
          title: item.title,
          normId: item.normId,
          state: itemState(year, item.month, own.some((l) => l.accepted), today),
          recordIds: own.map((l) => l.recordId),
        };
      }),
      shortfalls: shortfalls(norms, sorted),
    };
  }
}

function assertEditable(plan: BranchPlan): void {
  if (!EDITABLE.includes(plan.status)) {
    const words = plan.status === 'approved' ? '已审核通过' : '已提交，正在等待审核';
    throw new ConflictException({ message: `年度计划${words}，不能再修改`, code: 'PLAN_NOT_EDITABLE' });
  }
}
