import { api, type Page } from '../../api/client';
import type { Schema } from '../../api/types';
import type { MessageKey } from '../../i18n';

export type CaseSummary = Schema<'CaseSummaryResponse'>;
export type CaseDetail = Schema<'CaseResponse'>;
export type CaseFile = Schema<'CaseFileResponse'>;
export type CaseComment = Schema<'CaseCommentResponse'>;
export type CaseKind = CaseSummary['kind'];
export type CasePage = Page<CaseSummary>;

/** The catalogue of kinds (类别), in the order the department lists them. */
export const CASE_KIND_KEYS: Record<CaseKind, MessageKey> = {
  organization_life: 'caseKindOrganizationLife',
  member_education: 'caseKindMemberEducation',
  serving_people: 'caseKindServingPeople',
  institution_building: 'caseKindInstitutionBuilding',
  publicity: 'caseKindPublicity',
  other: 'caseKindOther',
};
export const CASE_KINDS = Object.keys(CASE_KIND_KEYS) as CaseKind[];

/** What the share form offers to pick (the server checks the bytes). */
export const CASE_FILE_ACCEPT = 'image/*,.pdf,.docx,.pptx,.xlsx';

/** A file's bytes as an object URL (the bytes need the bearer token): for <img>, or to save. */
export async function caseFileBlob(file: CaseFile): Promise<Blob> {
  return api<Blob>(file.url.replace(/^\/api/, ''), { blob: true });
}

/** Sends one file of a case (multipart `file`). */
export function uploadCaseFile(caseId: string, file: File): Promise<CaseFile> {
  const form = new FormData();
  form.append('file', file);
  return api<CaseFile>(`/cases/${caseId}/files`, { method: 'POST', body: form });
}

/** Photos the browser can show inline (HEIC is offered for download instead). */
export function showable(file: CaseFile): boolean {
  return file.kind === 'photo' && file.mimeType !== 'image/heic';
}

/** Tags typed as one line: split on commas, 、, semicolons or spaces, each once. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[,，、;；\s]+/).map((tag) => tag.trim()).filter(Boolean))];
}
