import { Injectable, NotFoundException } from '@nestjs/common';
import { adminUnitScope, assertDepartment, AuthUser, isDepartmentAdmin } from '../common/auth-user';
import { Page } from '../common/pagination';
import { inputException } from '../common/validation-errors';
import { CourseAccessService } from '../access/course-access.service';
import { CoursesRepository } from '../courses/courses.repository';
import { NotificationsService } from '../notifications/notifications.service';
import { renderMarkdown } from '../readings/text';
import { UsersRepository } from '../users/users.repository';
import { CreateSuggestionDto, ListSuggestionsQuery, ReplySuggestionDto } from './dto/suggestion.dto';
import { Suggestion } from './suggestion.entity';
import { SuggestionReader, SuggestionsRepository } from './suggestions.repository';

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
    private readonly suggestions: SuggestionsRepository,
    private readonly courses: CoursesRepository,
    private readonly people: UsersRepository,
    private readonly access: CourseAccessService,
    private readonly notifications: NotificationsService,
  ) {}

  async create(dto: CreateSuggestionDto, actor: AuthUser): Promise<SuggestionView> {
    if (dto.courseId) await this.access.view(dto.courseId, actor);
    const saved = await this.suggestions.insert({
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
    const [rows, total] = await this.suggestions.findPage(readerOf(actor, query.mine === 'true'), query, { skip: query.skip, take: query.pageSize });
    return { items: await this.views(rows, actor), total, page: query.page, pageSize: query.pageSize };
  }

  async get(id: string, actor: AuthUser): Promise<SuggestionView> {
    const [view] = await this.views([await this.find(id, actor)], actor);
    return view;
  }

  /**
   * Suggestions are sent to the department, which answers them and sets their status (PRODUCT.md); a unit
   * admin reads their unit's people's suggestions but does not answer for the department (403; another
   * unit's is a 404, as reading it is). The author hears of the answer in the app.
   */
  async reply(id: string, dto: ReplySuggestionDto, actor: AuthUser): Promise<SuggestionView> {
    const current = await this.find(id, actor);
    assertDepartment(actor, '答复建议');
    const text = dto.body ?? dto.reply;
    if (!text) throw inputException([{ field: 'body', rule: 'notEmpty', message: '答复内容不能为空' }]);
    await this.suggestions.recordReply(id, { text, status: dto.status ?? 'answered' });
    await this.notifications.notify([
      {
        userId: current.authorId,
        kind: 'suggestion.replied',
        title: `组织部回复了你的建议：${current.title}`.slice(0, 200),
        body: text,
        link: `/suggestions/${id}`,
      },
    ]);
    return this.get(id, actor);
  }

  private async find(id: string, actor: AuthUser): Promise<Suggestion> {
    const suggestion = await this.suggestions.findVisible(id, readerOf(actor, false));
    if (!suggestion) throw new NotFoundException({ message: '意见建议不存在', code: 'SUGGESTION_NOT_FOUND' });
    return suggestion;
  }

  /** Views of a page of suggestions, with their authors' names and courses' titles (one query each). */
  private async views(rows: Suggestion[], actor: AuthUser): Promise<SuggestionView[]> {
    const names = await this.people.namesByIds(rows.map((r) => r.authorId));
    const titles = await this.courses.titlesByIds(rows.flatMap((r) => (r.courseId ? [r.courseId] : [])));
    return rows.map((s) => this.view(s, actor, names, titles));
  }

  private view(s: Suggestion, actor: AuthUser, authorNames: Map<string, string>, courseTitles: Map<string, string>): SuggestionView {
    const showAuthor = !s.anonymous || isDepartmentAdmin(actor) || s.authorId === actor.id;
    return {
      id: s.id,
      title: s.title,
      body: s.body,
      bodyHtml: renderMarkdown(s.body),
      courseId: s.courseId,
      courseTitle: s.courseId ? (courseTitles.get(s.courseId) ?? null) : null,
      anonymous: s.anonymous,
      author: showAuthor && authorNames.has(s.authorId) ? { id: s.authorId, name: authorNames.get(s.authorId)! } : null,
      status: s.status,
      reply: s.reply,
      replyHtml: s.reply === null ? null : renderMarkdown(s.reply),
      repliedAt: s.repliedAt,
      createdAt: s.createdAt,
    };
  }
}

/** Authors and everyone but admins read their own; a unit admin their unit's; the department all. */
function readerOf(actor: AuthUser, mine: boolean): SuggestionReader {
  if (actor.role !== 'admin' || mine) return { authorId: actor.id };
  const unit = adminUnitScope(actor);
  return unit === null ? null : { unitId: unit };
}
