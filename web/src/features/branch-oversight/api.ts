import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type BranchWorkReport = Schemas['BranchWorkReportResponse'];
export type BranchCompliance = Schemas['BranchComplianceResponse'];
export type UnitCompliance = Schemas['UnitComplianceResponse'];
export type BranchWorkDetail = Schemas['BranchWorkDetailResponse'];
export type NormHeading = Schemas['NormHeadingResponse'];

/** This year and the two before it, Beijing time. */
export function recentYears(now = new Date()): number[] {
  const year = new Date(now.getTime() + 8 * 3600 * 1000).getUTCFullYear();
  return [year, year - 1, year - 2];
}
