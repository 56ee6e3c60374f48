import ExcelJS from 'exceljs';
import { cjkPdf } from '../common/cjk-font';
import { beijingTime } from '../common/validation-errors';
import type { PlanStatus } from './branch-plan.entity';
import type { PlanView } from './branch-plans.service';
import type { PlanItemState } from './plan-rules';

const STATUS_WORDS: Record<PlanStatus, string> = { draft: '草稿', submitted: '已提交，待审核', approved: '已审核通过', returned: '已退回修改' };
const STATE_WORDS: Record<PlanItemState, string> = { done: '已完成', due: '本月待办', overdue: '已逾期', planned: '未到期' };
const HEADER = ['月份', '活动类别', '活动内容', '完成情况', '工作纪实'];

/** The kind's name as the norms call it; the branch's own topics are 自选. */
type KindNames = Map<string, string>;
const kindName = (names: KindNames, kind: string) => (kind === 'own' ? '支部自选' : (names.get(kind) ?? kind));

export function planTitle(plan: PlanView): string {
  return `${plan.branchName} ${plan.year}年党支部学习活动年度安排表`;
}

function rowsOf(plan: PlanView, names: KindNames): string[][] {
  return plan.items.map((item) => [`${item.month}月`, kindName(names, item.kind), item.title, STATE_WORDS[item.state], item.recordIds.length ? `${item.recordIds.length} 篇` : '']);
}

function statusLine(plan: PlanView): string {
  const parts = [`状态：${STATUS_WORDS[plan.status]}`];
  if (plan.submittedAt) parts.push(`提交时间：${beijingTime(plan.submittedAt)}`);
  if (plan.reviewedAt) parts.push(`审核时间：${beijingTime(plan.reviewedAt)}`);
  if (plan.reviewComment) parts.push(`审核意见：${plan.reviewComment}`);
  return parts.join('    ');
}

/** The plan as a workbook: the title across the table, a status line, then one row per item, month by month. */
export async function planXlsx(plan: PlanView, names: KindNames): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('年度安排表', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = [{ width: 8 }, { width: 16 }, { width: 48 }, { width: 12 }, { width: 10 }];
  sheet.mergeCells('A1:E1');
  sheet.getCell('A1').value = planTitle(plan);
  sheet.getCell('A1').font = { bold: true, size: 16 };
  sheet.getCell('A1').alignment = { horizontal: 'center' };
  sheet.mergeCells('A2:E2');
  sheet.getCell('A2').value = statusLine(plan);
  const header = sheet.addRow(HEADER);
  header.font = { bold: true };
  const border: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
  header.eachCell((cell) => (cell.border = border));
  for (const cells of rowsOf(plan, names)) {
    const row = sheet.addRow(cells);
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = border;
      cell.alignment = { vertical: 'middle', wrapText: true };
    });
  }
  sheet.views = [{ state: 'frozen', ySplit: 3 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The plan printed on A4: title, status, the table with its header repeated on every page, a place to sign. */
export function planPdf(plan: PlanView, names: KindNames): Promise<Buffer> {
  const { doc, done } = cjkPdf({ size: 'A4', margin: 48, info: { Title: planTitle(plan) }, lang: 'zh-CN' });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const widths = [44, 90, width - 44 - 90 - 70 - 56, 70, 56];
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  doc.font('bold').fontSize(16).text(planTitle(plan), left, doc.page.margins.top, { width, align: 'center' });
  doc.moveDown(0.5);
  doc.font('regular').fontSize(9).text(statusLine(plan), { width });
  doc.moveDown(0.5);

  const drawRow = (cells: string[], font: 'regular' | 'bold') => {
    doc.font(font).fontSize(10);
    const height = Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: widths[i] - 8 }))) + 8;
    if (doc.y + height > bottom()) {
      doc.addPage();
      if (font === 'regular') drawRow(HEADER, 'bold');
      doc.font(font).fontSize(10);
    }
    const top = doc.y;
    let x = left;
    cells.forEach((cell, i) => {
      doc.rect(x, top, widths[i], height).stroke();
      doc.text(cell, x + 4, top + 4, { width: widths[i] - 8 });
      x += widths[i];
    });
    doc.x = left;
    doc.y = top + height;
  };
  doc.lineWidth(0.5);
  drawRow(HEADER, 'bold');
  for (const cells of rowsOf(plan, names)) drawRow(cells, 'regular');

  if (doc.y + 60 > bottom()) doc.addPage();
  doc.moveDown(2);
  doc.font('regular').fontSize(11).text('支部书记（签字）：____________        上级党组织审核意见：____________', left, doc.y, { width });
  doc.end();
  return done;
}
