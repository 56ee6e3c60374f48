import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import { adminUnitScope } from '../common/auth-user';
import type { ReadingSettings } from '../access/activity-settings';
import { renderMarkdown } from './text';
import type { InboxStatus, ReviewInboxQuery } from './dto/review-inbox.dto';
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

const RESUBMITTED = `EXISTS (SELECT 1 FROM reflection_revisions rv WHERE rv.reflection_id = r.id AND rv.event = 'returned')`;
const STATUS_SQL: Record<InboxStatus, string> = {
  waiting: `r.status = 'submitted'`,
  resubmitted: `r.status = 'submitted' AND ${RESUBMITTED}`,
  returned: `r.status = 'returned'`,
};
const FROM = `FROM reflections r JOIN courses c ON c.id = r.course_id JOIN users u ON u.id = r.user_id JOIN activities a ON a.id = r.activity_id`;

type Row = Record<string, unknown>;

/**
 * The review inbox (待审心得) across every course the caller reviews: instructors the courses they teach,
 * unit admins their unit's learners in every course, the department everything. Scope is one SQL predicate,
 * so a list, its counts and the side-by-side view never disagree about what the caller may see. Only
 * published courses: a closed course takes no more reviews.
 */
@Injectable()
export class ReviewInboxService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(actor: AuthUser, query: ReviewInboxQuery) {
    const scope = this.scope(actor);
    const course = query.courseId ? { sql: ' AND r.course_id = ?', params: [query.courseId] } : { sql: '', params: [] };
    const counts = await this.countsWhere(`${scope.sql}${course.sql}`, [...scope.params, ...course.params]);
    const rows: Row[] = await this.dataSource.query(
      `SELECT r.id, r.activity_id, a.title AS activity_title, r.course_id, c.title AS course_title,
              u.id AS user_id, u.name, u.username, b.name AS branch, un.name AS unit,
              r.status, r.submitted_at, r.reviewed_at, r.feedback, r.body, r.char_count,
              r.copy_source, r.copy_similarity, ${RESUBMITTED} AS resubmitted,
              s.id AS similar_id, su.name AS similar_name, su.unit_id AS similar_unit_id
         ${FROM}
         LEFT JOIN branches b ON b.id = u.branch_id
         LEFT JOIN units un ON un.id = u.unit_id
         LEFT JOIN reflections s ON r.copy_source LIKE 'reflection:%' AND s.id = SUBSTRING(r.copy_source, 12)
         LEFT JOIN users su ON su.id = s.user_id
        WHERE ${scope.sql}${course.sql} AND ${STATUS_SQL[query.status]}
        ORDER BY r.submitted_at, r.id
        LIMIT ? OFFSET ?`,
      [...scope.params, ...course.params, query.pageSize, query.skip],
    );
    return { items: rows.map((row) => this.item(row, actor)), total: counts[query.status], page: query.page, pageSize: query.pageSize, counts };
  }

  /** The counts alone, for the navigation badge. */
  async counts(actor: AuthUser): Promise<InboxCounts> {
    const scope = this.scope(actor);
    return this.countsWhere(scope.sql, scope.params);
  }

  /**
   * A reflection beside the text it resembles: the classmate's reflection (when the caller may see its
   * author) or the reading. 404 for a reflection outside the caller's inbox scope.
   */
  async compare(reflectionId: string, actor: AuthUser) {
    const scope = this.scope(actor, { anyStatus: true });
    const [row]: Row[] = await this.dataSource.query(
      `SELECT r.id, r.activity_id, a.title AS activity_title, a.settings, r.course_id, c.title AS course_title,
              u.id AS user_id, u.name, u.username, b.name AS branch, un.name AS unit,
              r.status, r.submitted_at, r.reviewed_at, r.feedback, r.body, r.char_count,
              r.copy_source, r.copy_similarity, ${RESUBMITTED} AS resubmitted,
              s.id AS similar_id, su.name AS similar_name, su.unit_id AS similar_unit_id,
              s.body AS similar_body, s.status AS similar_status, s.submitted_at AS similar_submitted_at,
              sb.name AS similar_branch, sun.name AS similar_unit
         ${FROM}
         LEFT JOIN branches b ON b.id = u.branch_id
         LEFT JOIN units un ON un.id = u.unit_id
         LEFT JOIN reflections s ON r.copy_source LIKE 'reflection:%' AND s.id = SUBSTRING(r.copy_source, 12)
         LEFT JOIN users su ON su.id = s.user_id
         LEFT JOIN branches sb ON sb.id = su.branch_id
         LEFT JOIN units sun ON sun.id = su.unit_id
        WHERE ${scope.sql} AND r.id = ?`,
      [...scope.params, reflectionId],
    );
    if (!row) throw new NotFoundException({ message: '心得不存在', code: 'REFLECTION_NOT_FOUND' });
    const reflection = this.item(row, actor);
    const similarity = reflection.similarity;
    let similar = null;
    if (similarity?.source === 'reading') {
      const settings = (typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings) as ReadingSettings;
      similar = { source: 'reading' as const, title: reflection.activityTitle, body: settings.body, score: similarity.score };
    } else if (similarity && !similarity.outsideScope && row.similar_id !== null) {
      similar = {
        source: 'reflection' as const,
        id: String(row.similar_id),
        author: { name: String(row.similar_name), branch: (row.similar_branch as string | null) ?? null, unit: (row.similar_unit as string | null) ?? null },
        status: row.similar_status as string,
        submittedAt: row.similar_submitted_at ? new Date(row.similar_submitted_at as string) : null,
        body: String(row.similar_body),
        score: similarity.score,
      };
    } else if (similarity) {
      similar = { source: 'reflection' as const, outsideScope: true, score: similarity.score };
    }
    return { reflection, similar };
  }

  private async countsWhere(where: string, params: unknown[]): Promise<InboxCounts> {
    const [row]: Row[] = await this.dataSource.query(
      `SELECT COALESCE(SUM(${STATUS_SQL.waiting}), 0) AS waiting,
              COALESCE(SUM(${STATUS_SQL.resubmitted}), 0) AS resubmitted,
              COALESCE(SUM(${STATUS_SQL.returned}), 0) AS returned
         ${FROM} WHERE ${where}`,
      params,
    );
    return { waiting: Number(row.waiting), resubmitted: Number(row.resubmitted), returned: Number(row.returned) };
  }

  /**
   * Who reviews what, as one predicate over `r` (reflections), `c` (courses) and `u` (the author): the
   * instructor's own courses (course_instructors), a unit admin's own unit, the department everything.
   */
  private scope(actor: AuthUser, opts: { anyStatus?: boolean } = {}): { sql: string; params: unknown[] } {
    // The inbox holds what waits for a reviewer: reflections of readings that need approval. A reading that
    // completes on submission waits for nobody (its reflections stay reviewable, and rateable, on the reading).
    const clauses = opts.anyStatus
      ? [`c.status <> 'draft'`, `r.status <> 'draft'`]
      : [`c.status = 'published'`, `r.status IN ('submitted', 'returned')`, `JSON_CONTAINS(a.settings, 'true', '$.reflectionNeedsApproval') = 1`];
    const params: unknown[] = [];
    if (actor.role === 'instructor') {
      clauses.push(`EXISTS (SELECT 1 FROM course_instructors ci WHERE ci.course_id = r.course_id AND ci.user_id = ?)`);
      params.push(actor.id);
    } else if (actor.role !== 'admin') {
      clauses.push('FALSE');
    }
    const unit = adminUnitScope(actor);
    if (unit !== null) {
      clauses.push('u.unit_id = ?');
      params.push(unit);
    }
    return { sql: clauses.join(' AND '), params };
  }

  private item(row: Row, actor: AuthUser): InboxItem {
    const score = row.copy_similarity === null ? 0 : Number(row.copy_similarity);
    const source = typeof row.copy_source === 'string' && row.copy_source.startsWith('reflection:') ? 'reflection' : 'reading';
    const unit = adminUnitScope(actor);
    const outsideScope = source === 'reflection' && unit !== null && String(row.similar_unit_id) !== unit;
    const flagged = row.copy_source !== null && score >= COPY_FLAG_SIMILARITY;
    return {
      id: String(row.id),
      activityId: String(row.activity_id),
      activityTitle: String(row.activity_title),
      courseId: String(row.course_id),
      courseTitle: String(row.course_title),
      author: { id: String(row.user_id), name: String(row.name), username: String(row.username), branch: (row.branch as string | null) ?? null, unit: (row.unit as string | null) ?? null },
      status: row.status as InboxItem['status'],
      submittedAt: row.submitted_at ? new Date(row.submitted_at as string) : null,
      reviewedAt: row.reviewed_at ? new Date(row.reviewed_at as string) : null,
      resubmitted: row.status === 'submitted' && Boolean(Number(row.resubmitted)),
      feedback: (row.feedback as string | null) ?? null,
      body: String(row.body),
      bodyHtml: renderMarkdown(String(row.body)),
      charCount: Number(row.char_count),
      similarity: flagged
        ? {
            source,
            reflectionId: source === 'reflection' && !outsideScope && row.similar_id !== null ? String(row.similar_id) : null,
            authorName: source === 'reflection' && !outsideScope && row.similar_name !== null ? String(row.similar_name) : null,
            outsideScope,
            score,
          }
        : null,
    };
  }
}
