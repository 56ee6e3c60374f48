import type { ExportSheet } from './report-export';
import type { BranchCompliance, NormHeading } from './branch-work.service';

const KIND_WORDS: Record<string, string> = { staff: '教职工党支部', student: '学生党支部' };

/**
 * The compliance table as one sheet: a row per branch, three columns per norm (required so far, accepted,
 * overdue; empty where the norm does not apply to the branch's kind), then the totals and records waiting for review.
 */
export function complianceSheet(year: number, norms: NormHeading[], branches: BranchCompliance[]): ExportSheet {
  const header = ['单位', '支部', '支部类别'];
  for (const norm of norms) header.push(`${norm.name}·应开展`, `${norm.name}·已通过`, `${norm.name}·逾期`);
  header.push('应开展合计', '已通过合计', '逾期合计', '待审核');
  const rows = branches.map((b) => {
    const figures = new Map(b.norms.map((f) => [f.normId, f]));
    const cells: unknown[] = [b.unit, b.name, KIND_WORDS[b.kind] ?? b.kind];
    for (const norm of norms) {
      const f = figures.get(norm.normId);
      cells.push(f ? f.required : '', f ? f.accepted : '', f ? f.overdue : '');
    }
    cells.push(b.required, b.accepted, b.overdue, b.waitingReview);
    return cells;
  });
  return { title: `${year}年支部工作落实情况`, header, widths: [28, 28, 14, ...norms.flatMap(() => [10, 10, 8]), 12, 12, 10, 8], rows };
}
