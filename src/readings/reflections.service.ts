import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user';
import { adminUnitScope } from '../common/auth-user';
import { Activity } from '../courses/activity.entity';
import { CoursesRepository } from '../courses/courses.repository';
import type { ReadingSettings } from '../access/activity-settings';
import { CourseAccessService, CourseRole } from '../access/course-access.service';
import { NotificationsService } from '../notifications/notifications.service';
import { ProgressService } from '../progress/progress.service';
import { Page } from '../common/pagination';
import { ListReflectionsQuery, ReviewReflectionDto, SubmitReflectionDto } from './dto/reflection.dto';
import { Reflection, type ReflectionStatus } from './reflection.entity';
import { ReflectionsRepository } from './reflections.repository';
import { reflectionOutcome } from './reading-completion';
import { countCharacters, renderMarkdown, shingles, similarity, simhash } from './text';
import { assertOpen } from '../access/course-open';
import { Transactions } from '../database/transactions';
import { UsersRepository, type UserLabel } from '../users/users.repository';
import { inputException } from '../common/validation-errors';

/** At or above this share of common 3-character pieces, a reflection is flagged to the reviewer. */
export const COPY_FLAG_SIMILARITY = 0.7;
/** SimHash bits two texts may differ in and still be compared in full (near-copies differ in few). */
const SIMHASH_CANDIDATE_BITS = 16;

export interface ReflectionView {
  id: string;
  activityId: string;
  author: { id: string; name: string; username: string } | null;
  body: string;
  /** The body as sanitized HTML (API.md's name; `html` is the same, kept for older clients). */
  bodyHtml: string;
  html: string;
  charCount: number;
  status: Reflection['status'];
  feedback: string | null;
  excellent: boolean;
  shareConsent: boolean;
  submittedAt: Date | null;
  reviewedAt: Date | null;
  /** Reviewers only: the closest match found at submission. */
  copyCheck?: { source: 'reading' | 'reflection'; reflectionId: string | null; similarity: number; flagged: boolean } | null;
  updatedAt: Date;
}

/**
 * Readings and reflections (心得体会): the learner drafts and submits, the course's instructors review —
 * approve or return with feedback — and may mark one 优秀. Submissions are checked for near-copies of the
 * reading or of classmates' reflections (flagged, never blocked). States feed the progress engine.
 */
@Injectable()
export class ReflectionsService {
  constructor(
    private readonly reflections: ReflectionsRepository,
    private readonly courses: CoursesRepository,
    private readonly users: UsersRepository,
    private readonly transactions: Transactions,
    private readonly access: CourseAccessService,
    private readonly progress: ProgressService,
    private readonly notifications: NotificationsService,
  ) {}

  async reading(activityId: string, actor: AuthUser) {
    const { activity, role } = await this.readingFor(activityId, actor);
    const settings = activity.settings as ReadingSettings;
    const mine = role === 'learner' ? await this.reflections.findOwn(activityId, actor.id) : null;
    return {
      id: activity.id,
      title: activity.title,
      body: settings.body,
      bodyHtml: renderMarkdown(settings.body),
      html: renderMarkdown(settings.body),
      minReflectionLength: settings.minReflectionLength,
      reflectionNeedsApproval: settings.reflectionNeedsApproval,
      myReflection: mine ? this.view(mine, null, false) : null,
    };
  }

  async submit(activityId: string, actor: AuthUser, dto: SubmitReflectionDto): Promise<ReflectionView> {
    const { activity } = await this.access.activityForWork(activityId, actor, 'reading');
    const settings = activity.settings as ReadingSettings;
    const charCount = countCharacters(dto.body);
    if (!dto.draft && charCount < settings.minReflectionLength) {
      const min = settings.minReflectionLength;
      const message = `心得至少 ${min} 字，还差 ${min - charCount} 字（排版符号和空格不计）`;
      throw new BadRequestException({
        message: [message],
        code: 'REFLECTION_TOO_SHORT',
        errors: [{ field: 'body', rule: 'minLength', params: { min }, message }],
        charCount,
        minReflectionLength: min,
      });
    }
    const pieces = shingles(dto.body);
    const hash = simhash(pieces);
    const copy = dto.draft ? null : await this.closestMatch(activity, actor.id, pieces, hash);

    const saved = await this.transactions.run(async (manager) => {
      const existing = await this.reflections.lockOwn(manager, activity, actor.id);
      if (existing.status === 'approved') {
        throw new ConflictException({ message: '心得已通过审核，不能再修改', code: 'REFLECTION_FINAL' });
      }
      const status = dto.draft ? 'draft' : 'submitted';
      const values = {
        body: dto.body,
        charCount,
        status,
        simhash: hash.toString(),
        shareConsent: dto.shareConsent ?? existing.shareConsent,
        copySource: copy ? (copy.source === 'reading' ? 'reading' : `reflection:${copy.reflectionId}`) : existing.copySource,
        copySimilarity: copy ? copy.similarity : existing.copySimilarity,
        submittedAt: dto.draft ? existing.submittedAt : new Date(),
      } as const;
      await this.reflections.update(manager, existing.id, values);
      if (!dto.draft) await this.reflections.addRevision(manager, { reflectionId: existing.id, event: 'submitted', body: dto.body, feedback: null, actorId: actor.id });
      return (await this.reflections.findById(existing.id, manager))!;
    });
    // Submitted counts as done unless the reading asks for approval; then it is halfway.
    if (!dto.draft) await this.progress.apply(actor.id, activity.id, reflectionOutcome(activity.settings as ReadingSettings, false));
    return this.view(saved, null, false);
  }

  async list(activityId: string, actor: AuthUser, query: ListReflectionsQuery): Promise<Page<ReflectionView>> {
    const status = query.status;
    const { role } = await this.readingFor(activityId, actor);
    const scope = adminUnitScope(actor);
    const [rows, total] = await this.reflections.page(
      activityId,
      {
        userId: role === 'learner' ? actor.id : undefined,
        submittedOnly: role !== 'learner',
        within: role === 'unit-admin' && scope !== null ? this.users.idsInUnit(scope) : undefined,
        status,
      },
      query.skip,
      query.pageSize,
    );
    const authors = await this.users.labelsByIds(rows.map((r) => String(r.userId)));
    return { items: rows.map((r) => this.view(r, authors.get(String(r.userId)) ?? null, reviewer(role))), total, page: query.page, pageSize: query.pageSize };
  }

  /** 优秀心得 the authors agreed to share, for everyone in the course. */
  async showcase(activityId: string, actor: AuthUser): Promise<ReflectionView[]> {
    await this.readingFor(activityId, actor);
    const rows = await this.reflections.findShowcase(activityId);
    const authors = await this.users.labelsByIds(rows.map((r) => String(r.userId)));
    return rows.map((r) => this.view(r, authors.get(String(r.userId)) ?? null, false));
  }

  /** The withdrawn learner's reflection can still be reviewed; completion is then not recorded for them. */
  async review(reflectionId: string, actor: AuthUser, dto: ReviewReflectionDto): Promise<ReflectionView> {
    const reflection = await this.reflections.findById(reflectionId);
    if (!reflection) throw reflectionNotFound(reflectionId);
    let activity: Activity;
    try {
      // Reviewing acts on a learner's work: the same reach as reading it (a unit admin: their unit's learners).
      activity = (await this.access.activityForLearnerWork(reflection.activityId, [reflection.userId], actor, () => reflectionNotFound(reflectionId))).activity;
    } catch (error) {
      if (error instanceof NotFoundException) throw reflectionNotFound(reflectionId);
      throw error;
    }
    if (dto.decision === 'return' && !dto.feedback?.trim()) {
      throw inputException([{ field: 'feedback', rule: 'required', message: '退回时请写明需要修改的地方' }], 'FEEDBACK_REQUIRED');
    }
    assertOpen((await this.courses.findById(activity.courseId))!);
    const status = dto.decision === 'approve' ? 'approved' : 'returned';
    const from: ReflectionStatus[] = dto.decision === 'approve' ? ['submitted', 'approved'] : ['submitted'];
    await this.transactions.run(async (manager) => {
      // Conditional on the state read: of two reviewers acting at once, the second gets 409, not a mix.
      const recorded = await this.reflections.review(manager, reflectionId, reflection.status, from, {
        status,
        feedback: dto.feedback?.trim() || reflection.feedback,
        excellent: status === 'approved' ? (dto.excellent ?? reflection.excellent) : false,
        reviewedBy: actor.id,
        reviewedAt: new Date(),
      });
      if (!recorded) {
        throw new ConflictException({ message: '该心得已被审核或已被修改，请刷新后再审核', code: 'REFLECTION_NOT_REVIEWABLE' });
      }
      await this.reflections.addRevision(manager, { reflectionId, event: status, body: null, feedback: dto.feedback?.trim() || null, actorId: actor.id });
    });
    if (status === 'approved') {
      // A learner withdrawn meanwhile keeps the approval on record but earns nothing (the engine refuses).
      await this.progress.apply(reflection.userId, activity.id, reflectionOutcome(activity.settings as ReadingSettings, true, reflection.submittedAt ?? undefined)).catch((error: { status?: number }) => {
        if (error.status !== 403) throw error;
      });
    }
    const revision = await this.reflections.countRevisions(reflectionId);
    await this.notifications.notify([
      {
        userId: reflection.userId,
        kind: `reflection.${status}`,
        title: status === 'approved' ? `心得已通过：${activity.title}` : `心得被退回修改：${activity.title}`,
        body:
          status === 'approved'
            ? `你提交的《${activity.title}》学习心得已通过审核${dto.excellent ? '，并被评为优秀心得' : ''}。${dto.feedback?.trim() ? `\n教师意见：${dto.feedback.trim()}` : ''}`
            : `你提交的《${activity.title}》学习心得需要修改后重新提交。\n教师意见：${dto.feedback!.trim()}`,
        link: `/courses/${activity.courseId}/activities/${activity.id}`,
        dedupeKey: `reflection:${reflectionId}:${revision}`,
      },
    ]);
    const saved = (await this.reflections.findById(reflectionId))!;
    return this.view(saved, (await this.users.labelsByIds([saved.userId])).get(String(saved.userId)) ?? null, true);
  }

  /** A reflection with its history: for its author and the course's reviewers. */
  async detail(reflectionId: string, actor: AuthUser) {
    const reflection = await this.reflections.findById(reflectionId);
    const notFound = () => reflectionNotFound(reflectionId);
    if (!reflection) throw notFound();
    let role: CourseRole;
    try {
      role = (await this.access.activityView(reflection.activityId, actor)).role;
    } catch {
      throw notFound();
    }
    if (role === 'learner' && reflection.userId !== actor.id) throw notFound();
    await this.access.assertLearnersInUnit(actor, [reflection.userId], notFound);
    const revisions = await this.reflections.findRevisions(reflectionId);
    const author = (await this.users.labelsByIds([reflection.userId])).get(String(reflection.userId)) ?? null;
    return {
      ...this.view(reflection, author, reviewer(role)),
      history: revisions.map((r) => ({ event: r.event, body: r.body, feedback: r.feedback, at: r.createdAt })),
    };
  }

  private async readingFor(activityId: string, actor: AuthUser) {
    const access = await this.access.activityView(activityId, actor);
    if (access.activity.type !== 'reading') {
      throw new NotFoundException({ message: '该学习任务不是阅读任务', code: 'NOT_A_READING' });
    }
    return access;
  }

  /** The most similar text among the reading and classmates' reflections (SimHash narrows, Jaccard decides). */
  private async closestMatch(activity: Activity, userId: string, pieces: Set<string>, hash: bigint) {
    let best: { source: 'reading' | 'reflection'; reflectionId: string | null; similarity: number } = {
      source: 'reading',
      reflectionId: null,
      similarity: similarity(pieces, shingles((activity.settings as ReadingSettings).body)),
    };
    const candidates = await this.reflections.findSimilarCandidates(activity.id, userId, hash, SIMHASH_CANDIDATE_BITS);
    for (const candidate of candidates) {
      const score = similarity(pieces, shingles(candidate.body));
      if (score > best.similarity) best = { source: 'reflection', reflectionId: String(candidate.id), similarity: score };
    }
    return { ...best, similarity: Math.round(best.similarity * 1000) / 1000 };
  }

  private view(r: Reflection, author: Pick<UserLabel, 'id' | 'name' | 'username'> | null, forReviewer: boolean): ReflectionView {
    const [source, id] = (r.copySource ?? '').split(':');
    return {
      id: r.id,
      activityId: r.activityId,
      author: author ? { id: author.id, name: author.name, username: author.username } : null,
      body: r.body,
      bodyHtml: renderMarkdown(r.body),
      html: renderMarkdown(r.body),
      charCount: r.charCount,
      status: r.status,
      feedback: r.feedback,
      excellent: r.excellent,
      shareConsent: r.shareConsent,
      submittedAt: r.submittedAt,
      reviewedAt: r.reviewedAt,
      ...(forReviewer
        ? {
            copyCheck: r.copySource
              ? {
                  source: source as 'reading' | 'reflection',
                  reflectionId: id ?? null,
                  similarity: r.copySimilarity ?? 0,
                  flagged: (r.copySimilarity ?? 0) >= COPY_FLAG_SIMILARITY,
                }
              : null,
          }
        : {}),
      updatedAt: r.updatedAt,
    };
  }
}

function reflectionNotFound(id: string): NotFoundException {
  return new NotFoundException({ message: '心得不存在', code: 'REFLECTION_NOT_FOUND' });
}

function reviewer(role: CourseRole): boolean {
  return role !== 'learner';
}
