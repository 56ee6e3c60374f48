import { Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user';
import { adminUnitScope } from '../common/auth-user';
import type { ReadingSettings } from '../access/activity-settings';
import { ActivitiesRepository } from '../courses/activities.repository';
import { CoursesRepository } from '../courses/courses.repository';
import { OrgRepository } from '../org/org.repository';
import { UsersRepository } from '../users/users.repository';
import { renderMarkdown } from './text';
import type { ReviewInboxQuery } from './dto/review-inbox.dto';
import type { Reflection } from './reflection.entity';
import { ReflectionsRepository } from './reflections.repository';
import { COPY_FLAG_SIMILARITY } from './reflections.service';

export interface InboxCounts {
  /** Submitted, waiting for a review (resubmissions included). */
  waiting: number;
  /** Of the waiting, those that were returned before and submitted again. */
  resubmitted: number;
  /** Returned with feedback, waiting for the learner. */
  returned: number;
}

/** The closest match the copy check found, when it is at or above the flag threshold. */
export interface InboxSimilarity {
  source: 'reading' | 'reflection';
  /** The matching reflection and its author; null for the reading, or (unit admins) another unit's learner. */
  reflectionId: string | null;
  authorName: string | null;
  /** A unit admin's learner resembles a reflection from another unit, which they may not see. */
  outsideScope: boolean;
  score: number;
}

export interface InboxItem {
  id: string;
  activityId: string;
  activityTitle: string;
  courseId: string;
  courseTitle: string;
  author: { id: string; name: string; username: string; branch: string | null; unit: string | null };
  status: 'submitted' | 'returned';
  submittedAt: Date | null;
  reviewedAt: Date | null;
  resubmitted: boolean;
  feedback: string | null;
  body: string;
  bodyHtml: string;
  charCount: number;
  similarity: InboxSimilarity | null;
}

/**
 * The review inbox (待审心得) across every course the caller reviews: instructors the courses they teach,
 * unit admins their unit's learners in every course, the department everything. Scope is one predicate over
 * the reflections (built from the courses' and users' subqueries), so a list, its counts and the side-by-side
 * view never disagree about what the caller may see. Only published courses: a closed course takes no more
 * reviews. Titles and names come by ids from their owners, one query each per page.
 */
@Injectable()
export class ReviewInboxService {
  constructor(
    private readonly reflections: ReflectionsRepository,
    private readonly courses: CoursesRepository,
    private readonly activities: ActivitiesRepository,
    private readonly users: UsersRepository,
    private readonly org: OrgRepository,
  ) {}

  async list(actor: AuthUser, query: ReviewInboxQuery) {
    const scope = this.scope(actor);
    const where = query.courseId ? { sql: `${scope.sql} AND r.course_id = ?`, params: [...scope.params, query.courseId] } : scope;
    const counts = await this.reflections.countInbox(where);
    const rows = await this.reflections.pageInbox(where, query.status, query.skip, query.pageSize);
    const labels = await this.labels(rows);
    return { items: rows.map((row) => this.item(row, labels, actor)), total: counts[query.status], page: query.page, pageSize: query.pageSize, counts };
  }

  /** The counts alone, for the navigation badge. */
  async counts(actor: AuthUser): Promise<InboxCounts> {
    return this.reflections.countInbox(this.scope(actor));
  }

  /**
   * A reflection beside the text it resembles: the classmate's reflection (when the caller may see its
   * author) or the reading. 404 for a reflection outside the caller's inbox scope.
   */
  async compare(reflectionId: string, actor: AuthUser) {
    const row = await this.reflections.findInScope(this.scope(actor, { anyStatus: true }), reflectionId);
    if (!row) throw new NotFoundException({ message: '心得不存在', code: 'REFLECTION_NOT_FOUND' });
    const labels = await this.labels([row]);
    const reflection = this.item(row, labels, actor);
    const similarity = reflection.similarity;
    const classmate = labels.similar.get(String(row.id));
    let similar = null;
    if (similarity?.source === 'reading') {
      const settings = labels.activities.get(String(row.activityId))!.settings as ReadingSettings;
      similar = { source: 'reading' as const, title: reflection.activityTitle, body: settings.body, score: similarity.score };
    } else if (similarity && !similarity.outsideScope && classmate) {
      const author = labels.people.get(String(classmate.userId));
      similar = {
        source: 'reflection' as const,
        id: String(classmate.id),
        author: { name: author?.name ?? '', branch: labels.branchOf(author), unit: labels.unitOf(author) },
        status: classmate.status,
        submittedAt: classmate.submittedAt,
        body: classmate.body,
        score: similarity.score,
      };
    } else if (similarity) {
      similar = { source: 'reflection' as const, outsideScope: true, score: similarity.score };
    }
    return { reflection, similar };
  }

  /**
   * Who reviews what, as one predicate over `r` (reflections): the instructor's own courses, a unit admin's own
   * unit's learners, the department everything.
   */
  private scope(actor: AuthUser, opts: { anyStatus?: boolean } = {}): { sql: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const among = (column: string, sub: { sql: string; params: unknown[] }) => {
      clauses.push(`${column} IN (${sub.sql})`);
      params.push(...sub.params);
    };
    // The inbox holds what waits for a reviewer: reflections of readings that need approval. A reading that
    // completes on submission waits for nobody (its reflections stay reviewable, and rateable, on the reading).
    if (opts.anyStatus) {
      among('r.course_id', this.courses.idsWithStatus(['published', 'closed']));
      clauses.push(`r.status <> 'draft'`);
    } else {
      among('r.course_id', this.courses.idsWithStatus(['published']));
      clauses.push(`r.status IN ('submitted', 'returned')`);
      among('r.activity_id', this.activities.readingIdsNeedingApproval());
    }
    if (actor.role === 'instructor') among('r.course_id', this.courses.idsTaughtBy(actor.id));
    else if (actor.role !== 'admin') clauses.push('FALSE');
    const unit = adminUnitScope(actor);
    if (unit !== null) among('r.user_id', this.users.idsInUnit(unit));
    return { sql: clauses.join(' AND '), params };
  }

  /** The titles, names and resembled classmates' reflections of a page of reflections: one query per owner. */
  private async labels(rows: Reflection[]) {
    const similarIds = new Map(rows.flatMap((r) => (r.copySource?.startsWith('reflection:') ? [[String(r.id), r.copySource.slice(11)] as const] : [])));
    const classmates = await this.reflections.findByIds([...similarIds.values()]);
    const people = await this.users.labelsByIds([...rows.map((r) => String(r.userId)), ...[...classmates.values()].map((c) => String(c.userId))]);
    const { units, branches } = await this.org.namesByIds(
      [...people.values()].flatMap((p) => (p.unitId ? [p.unitId] : [])),
      [...people.values()].flatMap((p) => (p.branchId ? [p.branchId] : [])),
    );
    const activities = new Map((await this.activities.findByIds([...new Set(rows.map((r) => String(r.activityId)))])).map((a) => [String(a.id), a]));
    const similar = new Map([...similarIds].flatMap(([id, similarId]) => (classmates.has(similarId) ? [[id, classmates.get(similarId)!] as const] : [])));
    return {
      people,
      activities,
      similar,
      courses: await this.courses.titlesByIds(rows.map((r) => String(r.courseId))),
      unitOf: (p?: { unitId: string | null }) => (p?.unitId ? (units.get(p.unitId) ?? null) : null),
      branchOf: (p?: { branchId: string | null }) => (p?.branchId ? (branches.get(p.branchId) ?? null) : null),
    };
  }

  private item(row: Reflection & { resubmitted: boolean }, labels: Awaited<ReturnType<ReviewInboxService['labels']>>, actor: AuthUser): InboxItem {
    const score = row.copySimilarity === null ? 0 : Number(row.copySimilarity);
    const source = row.copySource?.startsWith('reflection:') ? 'reflection' : 'reading';
    const unit = adminUnitScope(actor);
    const classmate = labels.similar.get(String(row.id));
    const classmateAuthor = classmate ? labels.people.get(String(classmate.userId)) : undefined;
    const outsideScope = source === 'reflection' && unit !== null && String(classmateAuthor?.unitId ?? null) !== unit;
    const flagged = row.copySource !== null && score >= COPY_FLAG_SIMILARITY;
    const author = labels.people.get(String(row.userId));
    return {
      id: String(row.id),
      activityId: String(row.activityId),
      activityTitle: labels.activities.get(String(row.activityId))?.title ?? '',
      courseId: String(row.courseId),
      courseTitle: labels.courses.get(String(row.courseId)) ?? '',
      author: { id: String(row.userId), name: author?.name ?? '', username: author?.username ?? '', branch: labels.branchOf(author), unit: labels.unitOf(author) },
      status: row.status as InboxItem['status'],
      submittedAt: row.submittedAt,
      reviewedAt: row.reviewedAt,
      resubmitted: row.status === 'submitted' && row.resubmitted,
      feedback: row.feedback ?? null,
      body: row.body,
      bodyHtml: renderMarkdown(row.body),
      charCount: row.charCount,
      similarity: flagged
        ? {
            source,
            reflectionId: source === 'reflection' && !outsideScope && classmate ? String(classmate.id) : null,
            authorName: source === 'reflection' && !outsideScope && classmateAuthor ? classmateAuthor.name : null,
            outsideScope,
            score,
          }
        : null,
    };
  }
}
