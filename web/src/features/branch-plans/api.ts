import type { Schema } from '../../api/types';
import type { MessageKey } from '../../i18n';

export type NormSet = Schema<'NormSetResponse'>;
export type Norm = Schema<'NormResponse'>;
export type Plan = Schema<'PlanResponse'>;
export type PlanItem = Schema<'PlanItemResponse'>;
export type Shortfall = Schema<'PlanShortfallResponse'>;
export type MemberList = Schema<'MemberListResponse'>;
export type Member = Schema<'MemberResponse'>;
export type MemberImport = Schema<'MemberImportResponse'>;

/** The Beijing year of now: plans and norms are by the year in China. */
export function beijingYear(): number {
  return new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
}

export const PLAN_STATUS_KEYS: Record<Plan['status'], MessageKey> = {
  draft: 'planStatusDraft',
  submitted: 'planStatusSubmitted',
  approved: 'planStatusApproved',
  returned: 'planStatusReturned',
};

export const ITEM_STATE_KEYS: Record<PlanItem['state'], MessageKey> = {
  done: 'planItemDone',
  due: 'planItemDue',
  overdue: 'planItemOverdue',
  planned: 'planItemPlanned',
};

export const PERIOD_KEYS: Record<Norm['per'], MessageKey> = { month: 'normPerMonth', quarter: 'normPerQuarter', year: 'normPerYear' };

export const REQUIREMENT_KEYS: Record<Norm['requires'][number], MessageKey> = {
  attendance: 'normNeedsAttendance',
  topic: 'normNeedsTopic',
  minutes: 'normNeedsMinutes',
  photos: 'normNeedsPhotos',
  signInSheet: 'normNeedsSignInSheet',
};

export const BRANCH_KIND_KEYS: Record<Norm['branchKinds'][number], MessageKey> = { staff: 'bwBranchStaff', student: 'bwBranchStudent' };
