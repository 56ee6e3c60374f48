import { Injectable } from '@nestjs/common';
import { join, relative } from 'node:path';
import type { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '../common/auth-user';
import { ActivitiesRepository } from '../courses/activities.repository';
import { creditHoursChange, sameInstant } from '../courses/activities.service';
import type { Course } from '../courses/course.entity';
import { CoursesRepository } from '../courses/courses.repository';
import { CoursesService } from '../courses/courses.service';
import { SectionsRepository } from '../courses/sections.repository';
import { Transactions } from '../database/transactions';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { EventBus } from '../events/event-bus';
import { QuestionBankService } from '../quizzes/question-bank.service';
import { UsersRepository } from '../users/users.repository';
import { VideosService } from '../videos/videos.service';
import { ContentError, ContentProblem, LoadedActivity, LoadedCourse } from './content-loader';

export interface Tally {
  created: number;
  updated: number;
  unchanged: number;
  archived: number;
}

export interface CourseImportReport {
  slug: string;
  courseId: string;
  course: 'created' | 'updated' | 'unchanged' | 'closed';
  sections: Tally;
  activities: Tally;
  /** The question bank, when course.yaml names one. */
  questions: Tally;
  published: boolean;
  enrolled: number;
  /** Video files stored (new or changed); unchanged files are left alone. */
  videosStored: number;
  warnings: string[];
}

const tally = (): Tally => ({ created: 0, updated: 0, unchanged: 0, archived: 0 });

/**
 * Curriculum as code: creates or updates courses from validated content. Items are matched by their keys;
 * only what changed is written (a second run writes nothing); activities removed from the files are
 * archived, never deleted, so learners keep their records. All courses land in one transaction.
 */
@Injectable()
export class ContentImportService {
  constructor(
    private readonly courseRows: CoursesRepository,
    private readonly sections: SectionsRepository,
    private readonly activities: ActivitiesRepository,
    private readonly users: UsersRepository,
    private readonly courses: CoursesService,
    private readonly enrollments: EnrollmentsService,
    private readonly videos: VideosService,
    private readonly questionBank: QuestionBankService,
    private readonly transactions: Transactions,
    private readonly events: EventBus,
  ) {}

  async import(loaded: LoadedCourse[]): Promise<CourseImportReport[]> {
    const reports = await this.transactions.run(async (manager) => {
      const problems: ContentProblem[] = [];
      const out: CourseImportReport[] = [];
      for (const course of loaded) out.push(await this.importCourse(manager, course, problems));
      if (problems.length) throw new ContentError(problems);
      return out;
    });
    // Publishing schedules the closing job and enrolment touches every secretary: both after the commit.
    for (const [i, report] of reports.entries()) {
      const source = loaded[i];
      if (report.course === 'closed') continue;
      // Videos first: publishing needs the file of every required video lesson.
      for (const section of source.sections) {
        for (const item of section.activities.filter((a) => a.mediaFile)) {
          const activity = await this.activities.findByContentKey(report.courseId, item.key);
          if ((await this.videos.importFile(activity, join(source.folder, item.mediaFile!))) === 'stored') report.videosStored++;
        }
      }
      const current = await this.courseRows.findByIdOrFail(report.courseId);
      if (source.publish && current.status === 'draft') {
        await this.courses.publish(report.courseId, SYSTEM_ACTOR);
        report.published = true;
      } else if (current.status === 'published' && report.course === 'updated') {
        await this.courses.publish(report.courseId, SYSTEM_ACTOR); // reschedules closing if the period moved
        // The period, the 补学 rule or an activity's dates may have moved: what the video path cached goes now.
        await this.events.emit('course.changed', { courseId: report.courseId });
      }
      if (source.enrollAllSecretaries) {
        report.enrolled = (await this.enrollments.enroll(report.courseId, { allSecretaries: true }, SYSTEM_ACTOR)).enrolled;
      }
    }
    return reports;
  }

  private async importCourse(manager: EntityManager, source: LoadedCourse, problems: ContentProblem[]): Promise<CourseImportReport> {
    const file = relative(process.cwd(), join(source.folder, 'course.yaml'));
    let course: Course | null = await this.courseRows.findByContentKey(source.slug, manager);
    const report: CourseImportReport = {
      slug: source.slug,
      courseId: course?.id ?? '',
      course: 'unchanged',
      sections: tally(),
      activities: tally(),
      questions: tally(),
      published: false,
      enrolled: 0,
      videosStored: 0,
      warnings: [],
    };
    if (course?.status === 'closed') {
      report.course = 'closed';
      report.warnings.push('the course is closed: its content was left as it is');
      return report;
    }
    const fields = {
      title: source.title,
      description: source.description,
      startsAt: source.startsAt,
      endsAt: source.endsAt,
      graceDays: source.graceDays,
      makeUpPolicy: source.makeUpPolicy,
      makeUpUntil: source.makeUpUntil,
      requiredCreditHours: source.requiredCreditHours,
      requiredSessions: source.requiredSessions,
    };
    if (!course) {
      course = await this.courseRows.create({ ...fields, contentKey: source.slug, createdBy: null }, manager);
      report.course = 'created';
    } else if (changed(course, fields)) {
      await this.courseRows.update(course.id, fields, manager);
      course = { ...course, ...fields };
      report.course = 'updated';
    }
    report.courseId = course.id;

    // The bank first: quizzes drawing from it are checked against it when the course is published.
    if (source.questionBank) report.questions = await this.questionBank.syncFromContent(manager, course.id, source.questionBank);

    let planChanged = fields.requiredCreditHours !== course.requiredCreditHours;
    let dueMoved = false;
    const sections = await this.sections.findByCourse(course.id, manager);
    const activities = await this.activities.findByCourse(course.id, manager);
    for (const [s, sourceSection] of source.sections.entries()) {
      const sectionFields = { title: sourceSection.title, description: sourceSection.description, position: sourceSection.position };
      let section = sections.find((s) => s.contentKey === sourceSection.key);
      if (!section) {
        section = await this.sections.save({ ...sectionFields, courseId: course.id, contentKey: sourceSection.key }, manager);
        report.sections.created++;
      } else if (changed(section, sectionFields)) {
        await this.sections.update(section.id, sectionFields, manager);
        report.sections.updated++;
      } else {
        report.sections.unchanged++;
      }
      for (const item of sourceSection.activities) {
        const field = `sections[${s}].activities[${item.position}]`;
        const existing = activities.find((a) => a.contentKey === item.key);
        const wanted = activityFields(item, section.id);
        if (!existing) {
          await this.activities.save({ ...wanted, courseId: course.id, contentKey: item.key, archivedAt: null }, manager);
          report.activities.created++;
          planChanged ||= item.required;
          continue;
        }
        if (existing.type !== item.type) {
          problems.push({ file, field: `${field}.type`, reason: `activity ${item.key}: its type changed from ${existing.type} to ${item.type}: give the new activity a new key` });
          continue;
        }
        if (!changed(existing, wanted) && existing.archivedAt === null) {
          report.activities.unchanged++;
          continue;
        }
        await this.activities.update(existing.id, { ...wanted, settings: wanted.settings, archivedAt: null }, manager);
        if (existing.creditHours !== wanted.creditHours) {
          await this.events.emitInTransaction(manager, 'activity.creditHoursChanged', creditHoursChange({ ...existing, ...wanted }, existing.creditHours));
        }
        report.activities.updated++;
        planChanged ||= existing.required !== wanted.required || existing.creditHours !== wanted.creditHours || existing.archivedAt !== null;
        dueMoved ||= (existing.required || wanted.required) && !sameInstant(existing.dueAt, wanted.dueAt);
      }
    }
    const keys = new Set(source.sections.flatMap((s) => s.activities.map((a) => a.key)));
    const gone = activities.filter((a) => a.contentKey && !keys.has(a.contentKey) && a.archivedAt === null);
    if (gone.length) {
      await this.activities.update(gone.map((a) => a.id), { archivedAt: new Date() }, manager);
      report.activities.archived = gone.length;
      planChanged = true;
    }
    if (course.status !== 'draft') {
      if (planChanged) await this.events.emitInTransaction(manager, 'course.planChanged', { courseId: course.id });
      else if (dueMoved) await this.events.emitInTransaction(manager, 'course.dueDatesChanged', { courseId: course.id });
    }
    const planEdits = report.sections.created + report.sections.updated + report.activities.created + report.activities.updated + report.activities.archived;
    const bankEdits = report.questions.created + report.questions.updated + report.questions.archived;
    if (report.course === 'unchanged' && planEdits + bankEdits > 0) report.course = 'updated';

    if (source.instructors.length) {
      const found = await this.users.instructorsByUsername(source.instructors, manager);
      for (const name of source.instructors.filter((n) => !found.some((u) => u.username === n))) {
        report.warnings.push(`instructor ${name} not found (or not an instructor): skipped`);
      }
      await this.courseRows.addInstructors(course.id, found.map((u) => u.id), manager);
    }
    return report;
  }
}

function activityFields(item: LoadedActivity, sectionId: string) {
  return {
    sectionId,
    type: item.type,
    title: item.title,
    required: item.required,
    creditHours: item.creditHours,
    opensAt: item.opensAt,
    dueAt: item.dueAt,
    position: item.position,
    settings: item.settings,
  };
}

/** True when any of the wanted values differs from the stored one (dates by instant, objects by content). */
function changed(stored: object, wanted: Record<string, unknown>): boolean {
  const current = stored as Record<string, unknown>;
  return Object.entries(wanted).some(([key, value]) => !same(current[key], value));
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return stable(a) === stable(b);
  return a === b || (a == null && b == null);
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}
