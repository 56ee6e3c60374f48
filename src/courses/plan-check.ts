import { settingsSchemas, type SessionSettings } from '../access/activity-settings';
import type { ActivityRow, CourseRow } from '../access/course-rows';
import { beijingTime, fieldLabel, zodProblems } from '../common/validation-errors';

export interface PlanProblem {
  /** The activity the problem is about, or null for the course itself. */
  activityId: string | null;
  field: string;
  message: string;
}

/** A problem an activity module found with one of its activities (see plan-validators.ts). */
export type PlanFieldProblem = Omit<PlanProblem, 'activityId'>;

type PlanCourse = Pick<CourseRow, 'startsAt' | 'endsAt' | 'requiredCreditHours' | 'requiredSessions'> & Partial<Pick<CourseRow, 'makeUpPolicy' | 'makeUpUntil'>>;
type PlanActivity = Pick<ActivityRow, 'id' | 'type' | 'title' | 'required' | 'creditHours' | 'opensAt' | 'dueAt' | 'settings' | 'archivedAt'>;

/**
 * Is the plan sound enough to publish (or to stay published after an edit)? Every problem is listed, each
 * naming its activity and field, so an editor can fix them all in one pass.
 */
export interface PlanOptions {
  /**
   * What the activity modules found with their activities, using data they own (a quiz's draws against the
   * course's question bank), listed with each activity's other problems when its settings are sound.
   */
  activityProblems?: (activity: PlanActivity) => PlanFieldProblem[];
}

export function checkPlan(course: PlanCourse, activities: PlanActivity[], options: PlanOptions = {}): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const add = (activityId: string | null, field: string, message: string) => problems.push({ activityId, field, message });
  const live = activities.filter((a) => !a.archivedAt);

  if (course.endsAt <= course.startsAt) add(null, 'endsAt', '结束时间须晚于开始时间');
  if (live.length === 0) add(null, 'activities', '培训班还没有学习任务');
  const period = `${beijingTime(course.startsAt)} 至 ${beijingTime(course.endsAt)}`;

  for (const activity of live) {
    const where = `「${activity.title}」`;
    const inPeriod = (value: Date | null, field: string) => {
      if (value && (value < course.startsAt || value > course.endsAt)) {
        add(activity.id, field, `${where}的${fieldLabel(field)}不在培训期内（${period}）`);
      }
    };
    inPeriod(activity.opensAt, 'opensAt');
    inPeriod(activity.dueAt, 'dueAt');
    if (activity.opensAt && activity.dueAt && activity.dueAt <= activity.opensAt) {
      add(activity.id, 'dueAt', `${where}的截止时间须晚于开放时间`);
    }
    if (course.makeUpPolicy === 'until' && course.makeUpUntil && activity.dueAt && activity.dueAt >= course.makeUpUntil) {
      add(activity.id, 'dueAt', `${where}的截止时间不早于补学截止时间，逾期后将无法补学：请提前截止时间或推后补学截止时间`);
    }
    const settings = settingsSchemas[activity.type].safeParse(activity.settings);
    if (!settings.success) {
      for (const problem of zodProblems(settings.error, activity.settings, 'settings')) add(activity.id, problem.field, `${where}：${problem.message}`);
    }
    if (settings.success && options.activityProblems) {
      for (const problem of options.activityProblems(activity)) add(activity.id, problem.field, `${where}：${problem.message}`);
    }
    if (activity.type === 'session' && settings.success) {
      const session = activity.settings as SessionSettings;
      inPeriod(new Date(session.startsAt), 'startsAt');
      inPeriod(new Date(session.endsAt), 'endsAt');
    }
  }

  const hours = live.reduce((sum, a) => sum + a.creditHours, 0);
  if (hours < course.requiredCreditHours) {
    add(null, 'requiredCreditHours', `全部学习任务合计 ${hours} 学时，少于要求的 ${course.requiredCreditHours} 学时`);
  }
  const sessions = live.filter((a) => a.type === 'session').length;
  if (sessions < course.requiredSessions) {
    add(null, 'requiredSessions', `只有 ${sessions} 次集中培训，少于要求参加的 ${course.requiredSessions} 次`);
  }
  return problems;
}

/**
 * What publishing does not refuse but the editor should hear of: required video lessons without their file
 * (learners cannot play them yet; the file can be uploaded after publishing).
 */
export function planWarnings(activities: Pick<PlanActivity, 'id' | 'type' | 'title' | 'required' | 'archivedAt'>[], videosUploaded: Set<string>): PlanProblem[] {
  return activities
    .filter((a) => !a.archivedAt && a.type === 'video' && a.required && !videosUploaded.has(a.id))
    .map((a) => ({ activityId: a.id, field: 'file', message: `「${a.title}」还没有上传视频，学员暂时无法观看` }));
}
