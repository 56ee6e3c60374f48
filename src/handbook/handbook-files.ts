import ExcelJS from 'exceljs';
import { cjkPdf } from '../common/cjk-font';
import { neutralizeCell } from '../common/csv';

/** One record as the printed handbook and the ledger show it. */
export interface HandbookRecord {
  title: string;
  kindName: string;
  heldAt: Date;
  place: string;
  chair: string | null;
  recorder: string | null;
  status: string;
  planItem: string | null;
  present: { name: string; category: 'full' | 'probationary' }[];
  absent: { name: string; category: 'full' | 'probationary'; reason: string | null }[];
  minutes: string;
  resolutions: string | null;
  reviewComment: string | null;
  reviewedAt: Date | null;
  /** Photos with the bytes of those printed (JPEG, PNG, the first few); the others (HEIC, the rest) are named. */
  photos: { fileName: string; bytes: Buffer | null }[];
  documents: string[];
  corrections: { at: Date; field: string; oldValue: string | null; newValue: string; reason: string; author: string }[];
}

export interface HandbookContent {
  unitName: string;
  branchName: string;
  year: number;
  members: { full: number; probationary: number };
  plan: { status: string; items: { month: number; kindName: string; title: string; done: boolean }[] } | null;
  records: HandbookRecord[];
  generatedAt: Date;
}

const BEIJING_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short' });
const BEIJING_TIME = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' });
export const beijingDay = (at: Date) => BEIJING_DAY.format(at);
export const beijingMinute = (at: Date) => BEIJING_TIME.format(at);

const CATEGORY = { full: '正式党员', probationary: '预备党员' } as const;
export const FIELD_NAMES: Record<string, string> = { title: '标题', place: '地点', chair: '主持人', recorder: '记录人', minutes: '会议记录', resolutions: '决议' };

/** Markdown as plain lines for print: the marks go, the words stay. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, (block) => block.replace(/```\w*/g, ''))
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s*/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/(\*\*|__|\*|_|~~|`)/g, '')
    .trim();
}

const RED = '#b3261e';
const INK = '#1f1f1f';
const GREY = '#666666';

/**
 * The printed handbook (党支部工作手册) of a branch's year, A4 portrait: the cover, the annual plan, every
 * record with its attendance, minutes, photos and corrections, and the attendance table at the end.
 */
export function renderHandbookPdf(content: HandbookContent): Promise<Buffer> {
  const { doc, done } = cjkPdf({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    info: { Title: `${content.branchName} ${content.year}年党支部工作手册`, Author: content.unitName, CreationDate: content.generatedAt },
    lang: 'zh-CN',
    bufferPages: true,
  });
  const width = doc.page.width - 112;
  const heading = (text: string) => doc.fillColor(RED).font('bold').fontSize(18).text(text, { width }).moveDown(0.5).fillColor(INK);
  const line = (label: string, value: string) => doc.font('bold').fontSize(11).text(`${label}：`, { continued: true }).font('regular').text(value || '—', { width });

  // Cover
  doc.fillColor(RED).font('bold').fontSize(30).text('党支部工作手册', 56, 200, { width, align: 'center', characterSpacing: 4 });
  doc.fillColor(INK).font('regular').fontSize(18).text(`${content.year} 年度`, { width, align: 'center' }).moveDown(3);
  doc.fontSize(15).text(`党支部：${content.branchName}`, { width, align: 'center' }).moveDown(0.5);
  doc.text(`所属党组织：${content.unitName}`, { width, align: 'center' }).moveDown(0.5);
  doc.text(`党员：正式党员 ${content.members.full} 名，预备党员 ${content.members.probationary} 名`, { width, align: 'center' }).moveDown(0.5);
  doc.fillColor(GREY).fontSize(11).text(`生成时间：${beijingMinute(content.generatedAt)}（北京时间）`, 56, doc.page.height - 120, { width, align: 'center' }).fillColor(INK);

  // The annual plan
  doc.addPage();
  heading(`一、${content.year} 年度学习活动安排`);
  if (!content.plan || !content.plan.items.length) {
    doc.font('regular').fontSize(11).text('本年度尚未制定年度计划。', { width });
  } else {
    doc.font('regular').fontSize(10).fillColor(GREY).text(`计划状态：${content.plan.status}`, { width }).fillColor(INK).moveDown(0.3);
    for (const month of [...new Set(content.plan.items.map((i) => i.month))]) {
      doc.font('bold').fontSize(12).text(`${month} 月`, { width });
      for (const item of content.plan.items.filter((i) => i.month === month)) {
        doc.font('regular').fontSize(11).text(`${item.kindName}：${item.title}${item.done ? '（已完成）' : ''}`, { width, indent: 12 });
      }
      doc.moveDown(0.3);
    }
  }

  // The records
  doc.addPage();
  heading('二、工作纪实');
  if (!content.records.length) doc.font('regular').fontSize(11).text('本年度尚无工作纪实。', { width });
  content.records.forEach((record, index) => {
    if (index > 0) doc.addPage();
    doc.font('bold').fontSize(14).text(`${index + 1}. ${record.title}`, { width }).moveDown(0.3);
    line('类型', record.kindName);
    line('时间', beijingMinute(record.heldAt));
    line('地点', record.place);
    line('主持人', record.chair ?? '');
    line('记录人', record.recorder ?? '');
    line('状态', record.status + (record.reviewedAt ? `（${beijingDay(record.reviewedAt)}）` : ''));
    if (record.planItem) line('年度计划事项', record.planItem);
    const full = record.present.filter((p) => p.category === 'full').length;
    line('出席情况', `应到 ${record.present.length + record.absent.length} 人，实到 ${record.present.length} 人（正式党员 ${full} 人，预备党员 ${record.present.length - full} 人），缺席 ${record.absent.length} 人`);
    line('出席人员', record.present.map((p) => p.name).join('、'));
    if (record.absent.length) line('缺席人员及事由', record.absent.map((a) => `${a.name}（${a.reason ?? ''}）`).join('、'));
    doc.moveDown(0.4).font('bold').fontSize(11).text('会议记录：', { width });
    doc.font('regular').fontSize(11).text(plainText(record.minutes) || '—', { width, lineGap: 3 });
    if (record.resolutions) {
      doc.moveDown(0.4).font('bold').text('决议：', { width });
      doc.font('regular').text(plainText(record.resolutions), { width, lineGap: 3 });
    }
    if (record.reviewComment) line('审核意见', record.reviewComment);
    for (const photo of record.photos) {
      if (!photo.bytes) {
        doc.font('regular').fontSize(10).fillColor(GREY).text(`照片：${photo.fileName}（请在平台查看原图）`, { width }).fillColor(INK);
        continue;
      }
      try {
        if (doc.y > doc.page.height - 300) doc.addPage();
        doc.moveDown(0.4).image(photo.bytes, { fit: [width, 260], align: 'center' });
        doc.moveDown(0.2).font('regular').fontSize(9).fillColor(GREY).text(photo.fileName, { width, align: 'center' }).fillColor(INK);
      } catch {
        doc.font('regular').fontSize(10).fillColor(GREY).text(`照片：${photo.fileName}（无法在打印件中显示）`, { width }).fillColor(INK);
      }
    }
    if (record.documents.length) line('其他附件', record.documents.join('、'));
    if (record.corrections.length) {
      doc.moveDown(0.4).font('bold').fontSize(11).text('更正记录：', { width });
      for (const c of record.corrections) {
        doc.font('regular').fontSize(10).text(`${beijingMinute(c.at)} ${c.author} 更正“${FIELD_NAMES[c.field] ?? c.field}”：由“${c.oldValue ?? ''}”改为“${c.newValue}”，原因：${c.reason}`, { width });
      }
    }
  });

  // The attendance table
  doc.addPage();
  heading('三、党员出席情况统计');
  const columns = [
    { title: '日期', width: 72 },
    { title: '活动', width: 170 },
    { title: '应到', width: 40 },
    { title: '正式党员', width: 55 },
    { title: '预备党员', width: 55 },
    { title: '缺席', width: 40 },
    { title: '出席率', width: 51 },
  ];
  const row = (cells: string[], font: 'regular' | 'bold') => {
    if (doc.y > doc.page.height - 90) doc.addPage();
    const top = doc.y;
    let x = 56;
    let bottom = top;
    doc.font(font).fontSize(10);
    cells.forEach((cell, i) => {
      doc.text(cell, x + 3, top + 4, { width: columns[i].width - 6 });
      bottom = Math.max(bottom, doc.y + 4);
      x += columns[i].width;
    });
    x = 56;
    for (const column of columns) {
      doc.rect(x, top, column.width, bottom - top).lineWidth(0.5).strokeColor(GREY).stroke();
      x += column.width;
    }
    doc.x = 56;
    doc.y = bottom;
  };
  row(columns.map((c) => c.title), 'bold');
  for (const record of content.records) {
    const expected = record.present.length + record.absent.length;
    const full = record.present.filter((p) => p.category === 'full').length;
    const rate = expected ? `${Math.round((record.present.length / expected) * 100)}%` : '—';
    row([beijingDay(record.heldAt), record.title, String(expected), String(full), String(record.present.length - full), String(record.absent.length), rate], 'regular');
  }

  // Page numbers
  const range = doc.bufferedPageRange();
  for (let i = 1; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.font('regular').fontSize(9).fillColor(GREY).text(`第 ${i} 页`, 56, doc.page.height - 40, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

/** The ledger (台账) as XLSX: one row per record, and each member's attendance on a second sheet. */
export async function renderLedgerXlsx(content: HandbookContent): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = content.generatedAt;
  const ledger = workbook.addWorksheet('工作纪实台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  ledger.columns = [
    { header: '序号', width: 6 },
    { header: '日期', width: 18 },
    { header: '类型', width: 14 },
    { header: '标题', width: 32 },
    { header: '地点', width: 18 },
    { header: '主持人', width: 10 },
    { header: '记录人', width: 10 },
    { header: '应到', width: 6 },
    { header: '出席正式党员', width: 12 },
    { header: '出席预备党员', width: 12 },
    { header: '缺席', width: 6 },
    { header: '缺席人员及事由', width: 28 },
    { header: '年度计划事项', width: 24 },
    { header: '状态', width: 8 },
    { header: '照片数', width: 8 },
    { header: '更正次数', width: 8 },
  ];
  ledger.getRow(1).font = { bold: true };
  content.records.forEach((r, i) => {
    const full = r.present.filter((p) => p.category === 'full').length;
    ledger.addRow(
      [
        i + 1,
        beijingMinute(r.heldAt),
        r.kindName,
        r.title,
        r.place,
        r.chair ?? '',
        r.recorder ?? '',
        r.present.length + r.absent.length,
        full,
        r.present.length - full,
        r.absent.length,
        r.absent.map((a) => `${a.name}（${a.reason ?? ''}）`).join('、'),
        r.planItem ?? '',
        r.status,
        r.photos.length,
        r.corrections.length,
      ].map((cell) => (typeof cell === 'string' ? neutralizeCell(cell) : cell)),
    );
  });
  const attendance = workbook.addWorksheet('出勤明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  attendance.columns = [
    { header: '日期', width: 18 },
    { header: '活动', width: 32 },
    { header: '姓名', width: 12 },
    { header: '类别', width: 10 },
    { header: '出勤', width: 8 },
    { header: '缺席事由', width: 28 },
  ];
  attendance.getRow(1).font = { bold: true };
  for (const r of content.records) {
    for (const p of r.present) attendance.addRow([beijingMinute(r.heldAt), neutralizeCell(r.title), neutralizeCell(p.name), CATEGORY[p.category], '出席', '']);
    for (const a of r.absent) attendance.addRow([beijingMinute(r.heldAt), neutralizeCell(r.title), neutralizeCell(a.name), CATEGORY[a.category], '缺席', neutralizeCell(a.reason ?? '')]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
