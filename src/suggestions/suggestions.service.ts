import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { adminUnitScope, assertDepartment, AuthUser, isDepartmentAdmin } from '../common/auth-user';
import { Page } from '../common/pagination';
import { CourseAccessService } from '../access/course-access.service';
import { NotificationsService } from '../notifications/notifications.service';
import { renderMarkdown } from '../readings/text';
import { CreateSuggestionDto, ListSuggestionsQuery, ReplySuggestionDto } from './dto/suggestion.dto';
import { Suggestion } from './suggestion.entity';
import { inputException } from '../common/validation-errors';

export interface SuggestionView {
  id: string;
  title: string;
  body: string;
  /** Body and reply as sanitized HTML (users write Markdown). */
  bodyHtml: string;
  courseId: string | null;
  courseTitle: string | null;
  anonymous: boolean;
  /** Null when anonymous, except for the department and the author. */
  author: { id: string; name: string } | null;
  status: Suggestion['status'];
  reply: string | null;
  replyHtml: string | null;
  repliedAt: Date | null;
  createdAt: Date;
}

/**
 * 建言献策: anyone writes to the department; the department (or the author's unit admin) answers and sets
 * a status, and the author is notified. Authors see their own, unit admins their unit's, the department
 * all; instructors only their own. Anonymity hides the author from everyone but the department (and the
 * author), in every answer: lists, one suggestion, the reply's answer.
 */
@Injectable()
export class SuggestionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CourseAccessService,
    private readonly notifications: NotificationsService,
  ) {}

  async create(dto: CreateSuggestionDto, actor: AuthUser): Promise<SuggestionView> {
    if (dto.courseId) await this.access.view(dto.courseId, actor);
    const saved = await this.dataSource.getRepository(Suggestion).save({
      authorId: actor.id,
      unitId: actor.unitId,
      courseId: dto.courseId ?? null,
      title: dto.title,
      body: dto.body,
      anonymous: dto.anonymous ?? false,
    });
    return this.get(saved.id, actor);
  }

  async list(query: ListSuggestionsQuery, actor: AuthUser): Promise<Page<SuggestionView>> {
    const qb = this.dataSource.getRepository(Suggestion).createQueryBuilder('s').leftJoinAndSelect('s.author', 'a').orderBy('s.id', 'DESC');
    this.scope(qb, actor, query.mine === 'true');
    if (query.status) qb.andWhere('s.status = :status', { status: query.status });
    if (query.courseId) qb.andWhere('s.course_id = :courseId', { courseId: query.courseId });
    const [rows, total] = await qb.skip(query.skip).take(query.pageSize).getManyAndCount();
    const titles = await this.courseTitles(rows);
    return { items: rows.map((s) => this.view(s, actor, titles)), total, page: query.page, pageSize: query.pageSize };
  }

  async get(id: string, actor: AuthUser): Promise<SuggestionView> {
    const qb = this.dataSource.getRepository(Suggestion).createQueryBuilder('s').leftJoinAndSelect('s.author', 'a').where('s.id = :id', { id });
    this.scope(qb, actor, false);
    const suggestion = await qb.getOne();
    if (!suggestion) throw new NotFoundException({ message: '意见建议不存在', code: 'SUGGESTION_NOT_FOUND' });
    return this.view(suggestion, actor, await this.courseTitles([suggestion]));
  }

  /**
   * Suggestions are sent to the department, which answers them and sets their status (PRODUCT.md); a unit
   * admin reads their unit's people's suggestions but does not answer for the department (403; another
   * unit's is a 404, as reading it is). The author hears of the answer in the app.
   */
  async reply(id: string, dto: ReplySuggestionDto, actor: AuthUser): Promise<SuggestionView> {
    const current = await this.get(id, actor);
    assertDepartment(actor, '答复建议');
    const text = dto.body ?? dto.reply;
    if (!text) throw inputException([{ field: 'body', rule: 'notEmpty', message: '答复内容不能为空' }]);
    await this.dataSource.getRepository(Suggestion).update({ id }, { reply: text, status: dto.status ?? 'answered', repliedAt: new Date() });
    const authorId = (await this.dataSource.getRepository(Suggestion).findOneByOrFail({ id })).authorId;
    await this.notifications.notify([
      {
        userId: authorId,
        kind: 'suggestion.replied',
        title: `组织部回复了你的建议：${current.title}`.slice(0, 200),
        body: text,
        link: `/suggestions/${id}`,
      },
    ]);
    return this.get(id, actor);
  }

  private scope(qb: ReturnType<DataSource['createQueryBuilder']>, actor: AuthUser, mine: boolean): void {
    if (actor.role !== 'admin' || mine) {
      qb.andWhere('s.author_id = :me', { me: actor.id });
      return;
    }
    const unit = adminUnitScope(actor);
    if (unit !== null) qb.andWhere('s.unit_id = :unit', { unit });
  }

  /** The titles of the courses a page of suggestions is about, in one query. */
  private async courseTitles(rows: Suggestion[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((r) => r.courseId).filter((id): id is string => id !== null))];
    if (!ids.length) return new Map();
    const found: { id: string; title: string }[] = await this.dataSource.query('SELECT id, title FROM courses WHERE id IN (?)', [ids]);
    return new Map(found.map((c) => [String(c.id), c.title]));
  }

  private view(s: Suggestion, actor: AuthUser, courseTitles: Map<string, string>): SuggestionView {
    const showAuthor = !s.anonymous || isDepartmentAdmin(actor) || s.authorId === actor.id;
    return {
      id: s.id,
      title: s.title,
      body: s.body,
      bodyHtml: renderMarkdown(s.body),
      courseId: s.courseId,
      courseTitle: s.courseId ? (courseTitles.get(s.courseId) ?? null) : null,
      anonymous: s.anonymous,
      author: showAuthor && s.author ? { id: s.author.id, name: s.author.name } : null,
      status: s.status,
      reply: s.reply,
      replyHtml: s.reply === null ? null : renderMarkdown(s.reply),
      repliedAt: s.repliedAt,
      createdAt: s.createdAt,
    };
  }
}
