import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { adminUnitScope, assertDepartment, type AuthUser } from '../common/auth-user';
import { Transactions } from '../database/transactions';
import { NotificationsService } from '../notifications/notifications.service';
import { OrgRepository } from '../org/org.repository';
import { UsersRepository } from '../users/users.repository';
import { isDuplicateKey } from '../database/duplicate-key';
import type { AssessmentAdjustment, AssessmentRound } from './assessment.entity';
import { gradesOf, ranksOf } from './assessment-scheme';
import { summaryOf, unitRanksOf } from './assessment-summary';
import { AssessmentBreakdown } from './assessment-breakdown.service';
import { AssessmentsRepository } from './assessments.repository';

/**
 * What people change in a round before it is published: unit admins' manual scores (each with its reason),
 * proposed adjustments of automatic scores that the department accepts or rejects, and the publishing that
 * freezes it all. Every change locks the round row first, so a score entered at the moment of publishing is
 * either in the published result or refused — never lost — and every change goes into the audit trail.
 */
@Injectable()
export class AssessmentScoringService {
  constructor(
    private readonly repository: AssessmentsRepository,
    private readonly breakdown: AssessmentBreakdown,
    private readonly transactions: Transactions,
    private readonly org: OrgRepository,
    private readonly people: UsersRepository,
    private readonly notifications: NotificationsService,
  ) {}

  async setManualScores(roundId: string, branchId: string, scores: { key: string; score: number; reason: string }[], actor: AuthUser): Promise<void> {
    await this.changeOpenRound(roundId, branchId, actor, async (manager, round) => {
      const manual = new Map(round.scheme.indicators.filter((i) => i.source === 'manual').map((i) => [i.key, i]));
      const keys = new Set<string>();
      for (const entry of scores) {
        if (!manual.has(entry.key)) throw new BadRequestException({ message: `“${entry.key}”不是这轮考核的人工评分指标`, code: 'NOT_A_MANUAL_INDICATOR' });
        if (keys.has(entry.key)) throw new BadRequestException({ message: `指标“${manual.get(entry.key)!.name}”重复评分`, code: 'DUPLICATE_SCORE' });
        keys.add(entry.key);
      }
      const before = new Map((await this.repository.manualScores(roundId, [branchId])).map((s) => [s.key, s.score]));
      const now = new Date();
      for (const entry of scores) {
        await this.repository.upsertManualScore(manager, { roundId, branchId, key: entry.key, score: entry.score, reason: entry.reason, scoredBy: actor.id, scoredAt: now });
        await this.repository.audit(manager, { roundId, branchId, key: entry.key, action: 'manual', oldScore: before.get(entry.key) ?? null, newScore: entry.score, reason: entry.reason, actorId: actor.id });
      }
    });
  }

  async proposeAdjustment(roundId: string, branchId: string, change: { key: string; score: number; reason: string }, actor: AuthUser): Promise<AssessmentAdjustment & { branchName: string }> {
    const adjustment = await this.changeOpenRound(roundId, branchId, actor, async (manager, round) => {
      const indicator = round.scheme.indicators.find((i) => i.key === change.key && i.source === 'auto');
      if (!indicator) throw new BadRequestException({ message: `“${change.key}”不是这轮考核的自动指标`, code: 'NOT_AN_AUTO_INDICATOR' });
      if (round.state !== 'computed') throw new ConflictException({ message: '考核数据尚未计算完成，请稍后再申请调整', code: 'ROUND_NOT_COMPUTED' });
      const result = await this.repository.findResult(roundId, branchId, manager);
      await this.repository.closeOpenAdjustments(manager, roundId, branchId, change.key, actor.id);
      const adjustment = await this.repository.insertAdjustment(manager, { roundId, branchId, key: change.key, score: change.score, reason: change.reason, proposedBy: actor.id });
      await this.repository.audit(manager, {
        roundId,
        branchId,
        key: change.key,
        action: 'proposed',
        oldScore: result?.evidence?.[change.key]?.score ?? null,
        newScore: change.score,
        reason: change.reason,
        actorId: actor.id,
      });
      return adjustment;
    });
    const names = await this.org.namesByIds([], [branchId]);
    return { ...adjustment, branchName: names.branches.get(branchId) ?? '' };
  }

  async decideAdjustment(roundId: string, adjustmentId: string, accept: boolean, comment: string | undefined, actor: AuthUser): Promise<void> {
    assertDepartment(actor, '审核考核调整');
    await this.transactions.run(async (manager) => {
      const round = await this.openRound(manager, roundId);
      const adjustment = await this.repository.findAdjustment(manager, round.id, adjustmentId);
      if (!adjustment) throw new NotFoundException({ message: '没有这项调整申请', code: 'ADJUSTMENT_NOT_FOUND' });
      if (adjustment.state !== 'proposed') throw new ConflictException({ message: '这项调整申请已经处理', code: 'ADJUSTMENT_DECIDED' });
      const state = accept ? 'accepted' : 'rejected';
      await this.repository.decideAdjustment(manager, adjustment.id, { state, decidedBy: actor.id, decidedAt: new Date(), decisionComment: comment ?? null });
      await this.repository.audit(manager, {
        roundId,
        branchId: adjustment.branchId,
        key: adjustment.key,
        action: state,
        oldScore: null,
        newScore: accept ? adjustment.score : null,
        reason: comment ?? null,
        actorId: actor.id,
      });
    });
  }

  /** Totals, grades (with the cap) and ranks written once; the round is frozen from then on. */
  async publish(roundId: string, actor: AuthUser): Promise<{ published: number }> {
    assertDepartment(actor, '发布考核结果');
    try {
      return await this.transactions.run(async (manager) => {
        const round = await this.openRound(manager, roundId);
        if (round.state !== 'computed') throw new ConflictException({ message: '考核数据尚未计算完成，不能发布', code: 'ROUND_NOT_COMPUTED' });
        const pending = await this.repository.countAdjustments(manager, round.id, 'proposed');
        if (pending) throw new ConflictException({ message: `还有 ${pending} 项调整申请待审核`, code: 'ADJUSTMENTS_PENDING' });
        const manualKeys = round.scheme.indicators.filter((i) => i.source === 'manual').map((i) => i.key);
        const missing = round.total * manualKeys.length - (await this.repository.countManualScores(round.id, manualKeys, manager));
        if (missing > 0) throw new ConflictException({ message: `还有 ${missing} 项人工评分未录入，录齐后才能发布`, code: 'MANUAL_SCORES_MISSING' });
        const rows = await this.breakdown.totals(round);
        const totals = rows.map((r) => r.score);
        const grades = gradesOf(totals, round.scheme);
        const ranks = ranksOf(totals);
        const unitRanks = unitRanksOf(rows);
        await this.repository.saveFinalResults(
          manager,
          round.id,
          rows.map((r, i) => ({ branchId: r.branchId, score: r.score, grade: grades[i], rank: ranks[i], unitRank: unitRanks.get(r.branchId)! })),
        );
        const summary = summaryOf(round.scheme.indicators, rows.map((r, i) => ({ ...r, grade: grades[i] })));
        await this.repository.updateRound(round.id, { state: 'published', publishedYear: round.year, publishedAt: new Date(), publishedBy: actor.id, summary }, manager);
        await this.repository.audit(manager, { roundId, branchId: null, key: null, action: 'published', oldScore: null, newScore: null, reason: null, actorId: actor.id });
        await this.notifySecretaries(manager, round, rows.map((r) => r.branchId));
        return { published: rows.length };
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictException({ message: '该年度已有发布的考核结果', code: 'ROUND_YEAR_PUBLISHED' });
      throw error;
    }
  }

  /** Tells every branch's secretary, in the publishing transaction (once per round and person). */
  private async notifySecretaries(manager: EntityManager, round: AssessmentRound, branchIds: string[]): Promise<void> {
    const secretaries = [...(await this.people.secretariesOfBranches(branchIds)).values()].flat();
    for (let i = 0; i < secretaries.length; i += 1000) {
      await this.notifications.notify(
        secretaries.slice(i, i + 1000).map((userId) => ({
          userId,
          kind: 'assessment-published',
          title: `${round.year} 年度党支部考核结果已发布`,
          body: '本支部的总分、等次和各项指标的依据已可查看，也可下载考核结果单。',
          link: `/my-branch/assessment?year=${round.year}`,
          dedupeKey: `assessment.published.${round.id}.${userId}`,
        })),
        manager,
      );
    }
  }

  /** The round's adjustment requests (a unit admin: their unit's), oldest first, with branch names. */
  async adjustments(roundId: string, actor: AuthUser, state?: AssessmentAdjustment['state']): Promise<Array<AssessmentAdjustment & { branchName: string }>> {
    const round = await this.repository.findRound(roundId);
    if (!round) throw new NotFoundException({ message: '没有这轮考核', code: 'ROUND_NOT_FOUND' });
    const unit = adminUnitScope(actor);
    const branchIds = unit === null ? undefined : (await this.repository.results(round.id, { unitId: unit })).map((r) => r.branchId);
    const rows = await this.repository.adjustments(round.id, { branchIds, state });
    const names = await this.org.namesByIds([], rows.map((r) => r.branchId));
    return rows.map((r) => ({ ...r, branchName: names.branches.get(r.branchId) ?? '' }));
  }

  /**
   * Runs a change of one branch's scores in a transaction holding the round: the round must not be published,
   * the branch must be in it, and a unit admin may change only their own unit's branches (others look absent).
   */
  private async changeOpenRound<T>(roundId: string, branchId: string, actor: AuthUser, change: (manager: EntityManager, round: AssessmentRound) => Promise<T>): Promise<T> {
    return this.transactions.run(async (manager) => {
      const round = await this.openRound(manager, roundId);
      const result = await this.repository.findResult(round.id, branchId, manager);
      const unit = adminUnitScope(actor);
      if (!result || (unit !== null && result.unitId !== unit)) throw new NotFoundException({ message: '这轮考核没有这个党支部', code: 'BRANCH_NOT_FOUND' });
      return change(manager, round);
    });
  }

  private async openRound(manager: EntityManager, roundId: string): Promise<AssessmentRound> {
    const round = await this.repository.lockRound(manager, roundId);
    if (!round) throw new NotFoundException({ message: '没有这轮考核', code: 'ROUND_NOT_FOUND' });
    if (round.state === 'published') throw new ConflictException({ message: '考核结果已发布，不能再修改', code: 'ROUND_PUBLISHED' });
    return round;
  }
}
