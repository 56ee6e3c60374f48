import type { AssessmentSchemesService } from '../assessments/assessment-schemes.service';
import type { CasesService } from '../cases/cases.service';
import { ListCasesQuery } from '../cases/dto/case.dto';
import { ListRecordsQuery } from '../handbook/dto/record.dto';
import { authUserOf, SYSTEM_ACTOR } from '../common/auth-user';
import type { RecordsService } from '../handbook/records.service';
import { beijingDay } from '../norms/beijing-calendar';
import type { SurveysService } from '../surveys/surveys.service';
import type { UsersRepository } from '../users/users.repository';

/** The department's 考核评估办法 the demo starts with: every measure the platform takes and two scored by hand. */
export const DEMO_SCHEME = {
  indicators: [
    { key: 'training_completion', name: '书记培训完成率', weight: 15, source: 'auto' as const, measure: 'training.completion' as const },
    { key: 'training_hours', name: '书记学时', weight: 10, source: 'auto' as const, measure: 'training.hours' as const, target: 32 },
    { key: 'compliance', name: '组织生活达标率', weight: 25, source: 'auto' as const, measure: 'handbook.compliance' as const },
    { key: 'on_time', name: '记录及时率', weight: 10, source: 'auto' as const, measure: 'handbook.onTime' as const, target: 7 },
    { key: 'plan_done', name: '年度计划完成率', weight: 10, source: 'auto' as const, measure: 'plan.done' as const },
    { key: 'excellent_reflections', name: '优秀心得', weight: 5, source: 'auto' as const, measure: 'reflections.excellent' as const, target: 1 },
    { key: 'suggestions', name: '意见建议', weight: 5, source: 'auto' as const, measure: 'suggestions.made' as const, target: 1 },
    { key: 'record_quality', name: '记录质量', weight: 10, source: 'manual' as const },
    { key: 'member_review', name: '民主评议', weight: 10, source: 'manual' as const },
  ],
  bands: [
    { grade: 'excellent' as const, min: 90 },
    { grade: 'good' as const, min: 75 },
    { grade: 'fair' as const, min: 60 },
    { grade: 'poor' as const, min: 0 },
  ],
  excellentCap: 0.3,
};

/**
 * The branch's year as the department sees it (issue: assessment, exchange, surveys), through the same
 * services as the web: this year's assessment scheme; a case the first branch shared from its accepted
 * 支部委员会 record, recommended by its unit and featured as 优秀案例, shown on every secretary's home page; and a
 * named survey of all secretaries, open for two weeks. Each is made only when missing, so running the demo
 * again changes nothing.
 */
export async function seedDemoExchange(
  services: { schemes: AssessmentSchemesService; cases: CasesService; surveys: SurveysService; records: RecordsService; people: UsersRepository },
  logins: { secretary: string; unitAdmin: string; department: string },
  now: Date = new Date(),
): Promise<void> {
  const { year } = beijingDay(now);
  if (!(await services.schemes.find(year))) await services.schemes.replace(year, DEMO_SCHEME, SYSTEM_ACTOR);

  const [secretaryRow, unitAdminRow, departmentRow] = await Promise.all([
    services.people.findByUsername(logins.secretary),
    services.people.findByUsername(logins.unitAdmin),
    services.people.findByUsername(logins.department),
  ]);
  if (!secretaryRow?.branchId || !unitAdminRow || !departmentRow) return;
  const [secretary, unitAdmin, department] = [authUserOf(secretaryRow), authUserOf(unitAdminRow), authUserOf(departmentRow)];

  const title = '支委会轮值主持：让每名委员都把责任扛起来';
  const shared = await services.cases.list(Object.assign(new ListCasesQuery(), { q: title, pageSize: 100 }), secretary);
  if (!shared.items.some((c) => c.branchId === secretaryRow.branchId)) {
    const accepted = await services.records.list(
      secretaryRow.branchId,
      Object.assign(new ListRecordsQuery(), { year, status: 'accepted', kind: 'committee_meeting' }),
      secretary,
    );
    const made = await services.cases.create(
      {
        title,
        kind: 'organization_life',
        tags: ['三会一课', '支委会', '轮值主持'],
        body:
          '## 做法\n支部委员会会议由委员按月轮值主持：轮值委员提前一周收集议题、起草会议方案，书记把关。\n\n' +
          '## 成效\n委员们对分管工作更熟悉，会议议题更聚焦，会后落实有人盯、有回音。\n\n' +
          '## 体会\n轮值不是“轮流坐庄”，关键是会前充分准备、会后跟踪落实。',
        ...(accepted.items[0] ? { recordId: accepted.items[0].id } : {}),
      } as never,
      secretary,
    );
    await services.cases.recommend(made.id, unitAdmin);
    await services.cases.feature(made.id, true, department);
  }

  const surveys = await services.surveys.list(department);
  if (!surveys.items.some((s) => s.title === '支部书记培训需求调研')) {
    await services.surveys.create(
      {
        title: '支部书记培训需求调研',
        anonymous: false,
        audience: { all: true },
        opensAt: new Date(now.getTime() - 60_000).toISOString(),
        closesAt: new Date(now.getTime() + 14 * 86400_000).toISOString(),
        questions: [
          { kind: 'single', prompt: '你担任支部书记的年限', options: ['不满 1 年', '1 至 3 年', '3 年以上'], required: true },
          { kind: 'multiple', prompt: '你最希望加强培训的内容', options: ['党章党规', '组织生活', '发展党员', '党务信息化'], required: true },
          { kind: 'scale', prompt: '对本期培训的总体满意度', required: true },
          { kind: 'text', prompt: '对下一期培训的意见和建议', required: false },
        ],
      } as never,
      department,
    );
  }
}
