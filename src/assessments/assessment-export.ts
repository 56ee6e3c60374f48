import ExcelJS from 'exceljs';
import { cjkPdf } from '../common/cjk-font';
import { beijingTime } from '../common/validation-errors';
import type { AssessmentRound } from './assessment.entity';
import { GRADE_NAMES, type Grade } from './assessment-scheme';
import type { IndicatorLine } from './assessment-breakdown.service';
import type { RankedBranch, RoundResults } from './assessment-results.service';

/** What an indicator's score was counted from, in a sentence (the result sheet and the workbook). */
export function evidenceSentence(line: IndicatorLine): string {
  const f = line.facts ?? {};
  let sentence: string;
  if (line.source === 'manual') sentence = line.score === null ? '尚未评分' : `评分理由：${line.reason ?? ''}`;
  else {
    switch (line.measure) {
      case 'training.completion':
        sentence = f.secretaries ? `书记 ${f.secretaries} 人参加本年度培训 ${f.enrolled} 期，完成 ${f.completed} 期` : '本支部暂无书记';
        break;
      case 'training.hours':
        sentence = f.secretaries ? `书记人均 ${line.value} 学时，满分标准 ${f.target} 学时` : '本支部暂无书记';
        break;
      case 'handbook.compliance':
        sentence = f.required ? `按工作规范应开展 ${f.required} 次，已完成 ${f.met} 次` : '截至计算时尚无应开展的活动';
        break;
      case 'handbook.onTime':
        sentence = `提交记录 ${f.handedIn} 份，其中 ${f.onTime} 份在活动后 ${f.withinDays} 天内提交`;
        break;
      case 'plan.done':
        sentence = f.items ? `年度计划 ${f.items} 项，已完成 ${f.done} 项` : '年度计划尚未审核通过';
        break;
      case 'reflections.excellent':
        sentence = `优秀心得 ${f.count} 篇，满分标准 ${f.target} 篇`;
        break;
      case 'suggestions.made':
        sentence = `提出意见建议 ${f.count} 条，满分标准 ${f.target} 条`;
        break;
      default:
        sentence = '';
    }
    if (line.countedScore !== null) sentence += `；原计 ${line.countedScore} 分，经审核调整为 ${line.score} 分：${line.reason ?? ''}`;
  }
  return sentence;
}

const gradeName = (grade: Grade) => GRADE_NAMES[grade];

/** The round's results as a workbook: one row per branch with every indicator, then the summaries. */
export async function resultsXlsx(round: AssessmentRound, results: RoundResults & { all: RankedBranch[] }): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('考核结果');
  sheet.addRow([`${round.year} 年度党支部考核评估结果`, results.published ? `发布于 ${beijingTime(round.publishedAt!)}` : '尚未发布，等次为预评']);
  sheet.addRow(['排名', '本单位排名', '二级党组织', '党支部', '总分', '等次', ...round.scheme.indicators.map((i) => `${i.name}（权重 ${i.weight}）`)]);
  for (const row of results.all) {
    sheet.addRow([row.rank, row.unitRank, row.unitName, row.branchName, row.score, gradeName(row.grade), ...row.indicators.map((l) => l.score ?? '')]);
  }
  const evidence = book.addWorksheet('指标依据');
  evidence.addRow(['二级党组织', '党支部', '指标', '得分', '依据']);
  for (const row of results.all) for (const line of row.indicators) evidence.addRow([row.unitName, row.branchName, line.name, line.score ?? '', evidenceSentence(line)]);
  const summary = book.addWorksheet('分布');
  summary.addRow(['等次', '支部数']);
  for (const d of results.distribution) summary.addRow([gradeName(d.grade), d.count]);
  summary.addRow([]);
  summary.addRow(['指标', '权重', '最低', '最高', '平均', '中位数', '未评分']);
  for (const i of results.indicators) summary.addRow([i.name, i.weight, i.min ?? '', i.max ?? '', i.mean ?? '', i.median ?? '', i.missing]);
  summary.addRow([]);
  summary.addRow(['二级党组织', '支部数', '平均分', '优秀', '良好', '一般', '较差']);
  for (const u of results.byUnit) summary.addRow([u.name, u.branches, u.mean, u.grades.excellent, u.grades.good, u.grades.fair, u.grades.poor]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const INK = '#1f1f1f';
const RED = '#b3261e';

/** One branch's result sheet (考核结果单), A4 portrait; its ranking is not printed (the sheet goes to the branch). */
export function resultSheetPdf(round: AssessmentRound, row: RankedBranch): Promise<Buffer> {
  const when = round.publishedAt ?? round.asOf;
  const { doc, done } = cjkPdf({ size: 'A4', margin: 56, info: { Title: `${round.year} 年度考核结果单 ${row.branchName}`, CreationDate: when, ModDate: when }, lang: 'zh-CN' });
  const width = doc.page.width - 112;
  doc.fillColor(RED).font('bold').fontSize(20).text(`${round.year} 年度党支部考核评估结果单`, { align: 'center', width });
  doc.moveDown(0.8).fillColor(INK).font('regular').fontSize(12);
  doc.text(`党支部：${row.branchName}`);
  doc.text(`二级党组织：${row.unitName}`);
  doc.moveDown(0.4).font('bold').fontSize(15).text(`总分 ${row.score} 分　等次：${gradeName(row.grade)}${round.state === 'published' ? '' : '（预评）'}`);
  doc.moveDown(0.8);
  const columns = [
    { title: '指标', width: 110 },
    { title: '权重', width: 40 },
    { title: '得分', width: 50 },
    { title: '依据', width: width - 200 },
  ];
  const drawRow = (cells: string[], bold = false) => {
    const top = doc.y;
    let x = doc.page.margins.left;
    let bottom = top;
    doc.font(bold ? 'bold' : 'regular').fontSize(10.5);
    cells.forEach((cell, i) => {
      doc.text(cell, x, top, { width: columns[i].width - 6 });
      bottom = Math.max(bottom, doc.y);
      x += columns[i].width;
    });
    doc.moveTo(doc.page.margins.left, bottom + 4).lineTo(doc.page.margins.left + width, bottom + 4).lineWidth(0.5).strokeColor('#999999').stroke();
    doc.x = doc.page.margins.left;
    doc.y = bottom + 8;
    if (doc.y > doc.page.height - 100) doc.addPage();
  };
  drawRow(columns.map((c) => c.title), true);
  for (const line of row.indicators) drawRow([line.name, String(line.weight), line.score === null ? '—' : String(line.score), evidenceSentence(line)]);
  doc.moveDown(1).font('regular').fontSize(10).fillColor('#555555');
  doc.text(`数据统计时间：${beijingTime(round.asOf)}（北京时间）`);
  if (round.publishedAt) doc.text(`结果发布时间：${beijingTime(round.publishedAt)}（北京时间）`);
  doc.end();
  return done;
}
