import ExcelJS from 'exceljs';
import { SCALE_MAX, type Survey } from './survey.entity';
import type { SurveyResults } from './surveys.service';

const KIND_NAMES = { single: '单选', multiple: '多选', scale: '评分', text: '简答' } as const;

/** The results as a workbook: one sheet of counts per question and option, one of the free texts. */
export async function resultsXlsx(survey: Survey, results: SurveyResults): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const counts = book.addWorksheet('统计');
  counts.addRow(['问卷', survey.title]);
  counts.addRow(['答卷数', results.responses]);
  counts.addRow(['题号', '题型', '题干', '选项', '人数']);
  results.questions.forEach((q, i) => {
    if (q.kind === 'text') return void counts.addRow([i + 1, KIND_NAMES[q.kind], q.prompt, '（简答）', q.answered]);
    const labels = q.kind === 'scale' ? Array.from({ length: SCALE_MAX }, (_, k) => `${k + 1} 分`) : survey.questions[i].options;
    labels.forEach((label, k) => counts.addRow([i + 1, KIND_NAMES[q.kind], q.prompt, label, q.counts[k]]));
  });
  const texts = book.addWorksheet('简答');
  texts.addRow(['题号', '题干', '回答']);
  results.questions.forEach((q, i) => q.texts.forEach((text) => texts.addRow([i + 1, q.prompt, text])));
  return Buffer.from(await book.xlsx.writeBuffer());
}
