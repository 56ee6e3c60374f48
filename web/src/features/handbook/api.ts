import { api, type Page } from '../../api/client';
import type { Schema } from '../../api/types';

export type BranchRecord = Schema<'RecordResponse'>;
export type RecordSummary = Schema<'RecordSummaryResponse'>;
export type RecordAttachment = Schema<'RecordAttachmentResponse'>;
export type RecordStatus = BranchRecord['status'];
export type RecordPage = Page<RecordSummary>;

/** A member of the branch's list (GET /api/branches/:id/members). */
export interface BranchMember {
  id: string;
  name: string;
  category: 'full' | 'probationary';
  leftAt?: string | null;
}

/** A norm of the year (GET /api/norms?year=): the kinds a record may be of. */
export interface NormKind {
  id: string;
  kind: string;
  name: string;
  requires: string[];
}

/** A line of the branch's annual plan (GET /api/branches/:id/plans/:year). */
export interface PlanLine {
  id: string;
  month: number;
  kind: string;
  title: string;
}

/** A list answered as `[...]` or `{items: [...]}`. */
export function itemsOf<T>(answer: T[] | { items?: T[] } | undefined): T[] {
  if (!answer) return [];
  return Array.isArray(answer) ? answer : (answer.items ?? []);
}

/** An attachment's bytes as an object URL for <img> (the bytes need the bearer token). */
export async function attachmentUrl(url: string): Promise<string> {
  const blob = await api<Blob>(url.replace(/^\/api/, ''), { blob: true });
  return URL.createObjectURL(blob);
}

/** The Beijing year of now. */
export function currentYear(): number {
  return new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
}
