import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { adminUnitScope, assertDepartment, AuthUser, isAdmin, isDepartmentAdmin } from '../common/auth-user';
import { Page, PaginationQuery } from '../common/pagination';
import { Transactions } from '../database/transactions';
import { RecordsService } from '../handbook/records.service';
import { NotificationsService } from '../notifications/notifications.service';
import { OrgRepository } from '../org/org.repository';
import { renderMarkdown } from '../readings/text';
import { UsersRepository } from '../users/users.repository';
import type { CaseFile } from './case-file.entity';
import { caseKindOfRecord, type CaseKind } from './case-kinds';
import { Case, CaseComment } from './case.entity';
import { CaseReader, CasesRepository } from './cases.repository';
import { CreateCaseDto, ListCasesQuery } from './dto/case.dto';

export interface CaseSummaryView {
  id: string;
  title: string;
  kind: CaseKind;
  tags: string[];
  unitId: string;
  branchId: string;
  branchName: string | null;
  author: { id: string; name: string };
  recordId: string | null;
  recommended: boolean;
  recommendedAt: Date | null;
  featured: boolean;
  hidden: boolean;
  locked: boolean;
  usefulCount: number;
  markedUseful: boolean;
  createdAt: Date;
}

export interface CaseFileView {
  id: string;
  kind: CaseFile['kind'];
  mimeType: string;
  fileName: string;
  size: number;
  url: string;
  createdAt: Date;
}

export interface CaseView extends CaseSummaryView {
  body: string;
  bodyHtml: string;
  files: CaseFileView[];
}

export function caseFileView(f: CaseFile): CaseFileView {
  return { id: f.id, kind: f.kind, mimeType: f.mimeType, fileName: f.fileName, size: f.size, url: `/api/cases/${f.caseId}/files/${f.id}`, createdAt: f.createdAt };
}

export interface CaseCommentView {
  id: string;
  caseId: string;
  author: { id: string; name: string };
  body: string;
  bodyHtml: string;
  createdAt: Date;
}

const CASE_NOT_FOUND = () => new NotFoundException({ message: '案例不存在', code: 'CASE_NOT_FOUND' });

/**
 * 经验交流: a branch's secretary shares a practice as a case (from scratch or from an accepted handbook record);
 * the unit admin recommends it, the department features it as 优秀案例; everyone signed in reads, searches,
 * comments and marks it useful. Moderation as in discussions: the department and the case's unit admin hide
 * (kept, shown only to them) and lock (no more comments).
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly records: RecordsService,
    private readonly org: OrgRepository,
    private readonly people: UsersRepository,
    private readonly transactions: Transactions,
    private readonly notifications: NotificationsService,
  ) {}

  async create(dto: CreateCaseDto, actor: AuthUser): Promise<CaseView> {
    if (actor.role !== 'secretary' || !actor.branchId || !actor.unitId) {
      throw new ForbiddenException({ message: '只有支部书记可以分享本支部的案例', code: 'CASE_SECRETARY_ONLY' });
    }
    let kind: CaseKind = dto.kind ?? 'other';
    if (dto.recordId) {
      // readable() answers 404 for another branch's record, as for an unknown id.
      const { record } = await this.records.readable(dto.recordId, actor);
      if (record.branchId !== actor.branchId) throw new NotFoundException({ message: '工作纪实不存在', code: 'RECORD_NOT_FOUND' });
      if (record.status !== 'accepted') throw new ConflictException({ message: '只有审核通过的工作纪实可以分享为案例', code: 'CASE_RECORD_NOT_ACCEPTED' });
      kind = dto.kind ?? caseKindOfRecord(record.kind);
    }
    const tags = [...new Set(dto.tags.map((tag) => tag.trim()).filter((tag) => tag.length > 0))];
    const saved = await this.transactions.run((manager) =>
      this.cases.insert(manager, { authorId: actor.id, unitId: actor.unitId!, branchId: actor.branchId!, recordId: dto.recordId ?? null, title: dto.title, body: dto.body, kind }, tags),
    );
    return this.get(saved.id, actor);
  }

  async list(query: ListCasesQuery, actor: AuthUser): Promise<Page<CaseSummaryView>> {
    const flag = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true');
    const filter = { tag: query.tag, kind: query.kind, q: query.q?.trim() || undefined, featured: flag(query.featured), recommended: flag(query.recommended) };
    const [rows, total] = await this.cases.findPage(readerOf(actor), filter, { skip: query.skip, take: query.pageSize });
    return { items: await this.summaries(rows, actor), total, page: query.page, pageSize: query.pageSize };
  }

  async get(id: string, actor: AuthUser): Promise<CaseView> {
    const found = await this.visible(id, actor);
    const [[summary], files] = await Promise.all([this.summaries([found], actor), this.cases.filesOf(id)]);
    return { ...summary, body: found.body, bodyHtml: renderMarkdown(found.body), files: files.map(caseFileView) };
  }

  /** The case if the caller may read it (its files go with it): a hidden case is a 404 to all but its moderators. */
  readable(id: string, actor: AuthUser): Promise<Case> {
    return this.visible(id, actor);
  }

  /** The case if the caller shared it: only its author adds or removes its photos and files. */
  async ownedBy(id: string, actor: AuthUser): Promise<Case> {
    const found = await this.visible(id, actor);
    if (found.authorId !== actor.id) throw new ForbiddenException({ message: '只有案例的分享人可以添加或删除照片和附件', code: 'CASE_AUTHOR_ONLY' });
    return found;
  }

  /** The unit admin of the case's unit recommends it to the department (another unit's case is a 404). */
  async recommend(id: string, actor: AuthUser): Promise<CaseView> {
    const found = await this.visible(id, actor);
    const unit = adminUnitScope(actor);
    if (unit !== null && unit !== found.unitId) throw CASE_NOT_FOUND();
    if (unit === null) {
      throw new ForbiddenException({ message: '只有案例所在二级党组织的管理员可以推荐', code: 'CASE_UNIT_ADMIN_ONLY' });
    }
    if (!found.recommendedAt) {
      await this.cases.update(id, { recommendedAt: new Date() });
      await this.tellAuthor(found, 'case-recommended', `你分享的案例“${found.title}”已被推荐给组织部`, '所在二级党组织认为这个做法值得推广，已推荐给组织部。');
    }
    return this.get(id, actor);
  }

  async feature(id: string, featured: boolean, actor: AuthUser): Promise<CaseView> {
    const found = await this.moderated(id, actor);
    assertDepartment(actor, '评选优秀案例');
    await this.cases.update(id, { featured });
    if (featured && !found.featured) {
      await this.tellAuthor(found, 'case-featured', `你分享的案例“${found.title}”被评为优秀案例`, '组织部已将它评为优秀案例，它会出现在每位支部书记的首页。');
    }
    return this.get(id, actor);
  }

  /** Tells the case's author once per case and kind (a repeated recommend or feature notifies nothing new). */
  private async tellAuthor(found: Case, kind: 'case-recommended' | 'case-featured', title: string, body: string): Promise<void> {
    await this.notifications.notify([{ userId: found.authorId, kind, title, body, link: `/cases/${found.id}`, dedupeKey: `${kind}.${found.id}` }]);
  }

  async hide(id: string, hidden: boolean, actor: AuthUser): Promise<CaseView> {
    await this.moderated(id, actor);
    await this.cases.update(id, { hidden });
    return this.get(id, actor);
  }

  async lock(id: string, locked: boolean, actor: AuthUser): Promise<CaseView> {
    await this.moderated(id, actor);
    await this.cases.update(id, { locked });
    return this.get(id, actor);
  }

  async comment(id: string, body: string, actor: AuthUser): Promise<CaseCommentView> {
    await this.visible(id, actor);
    const saved = await this.transactions.run(async (manager) => {
      // The row lock orders a comment after a lock being set at the same time.
      const current = await this.cases.lockCase(manager, id);
      if (!current) throw CASE_NOT_FOUND();
      if (current.locked) throw new ConflictException({ message: '该案例已锁定，不能再评论', code: 'CASE_LOCKED' });
      return this.cases.addComment(manager, { caseId: id, authorId: actor.id, body });
    });
    return (await this.commentViews([saved]))[0];
  }

  async comments(id: string, actor: AuthUser, query: PaginationQuery): Promise<Page<CaseCommentView>> {
    await this.visible(id, actor);
    const [rows, total] = await this.cases.pageComments(id, { skip: query.skip, take: query.pageSize });
    return { items: await this.commentViews(rows), total, page: query.page, pageSize: query.pageSize };
  }

  /** Once per person: a second mark changes nothing and answers the same. */
  async markUseful(id: string, actor: AuthUser): Promise<{ usefulCount: number; markedUseful: boolean }> {
    await this.visible(id, actor);
    await this.transactions.run((manager) => this.cases.markUseful(manager, id, actor.id));
    return { usefulCount: await this.cases.usefulCount(id), markedUseful: true };
  }

  /** The case if the caller may read it: hidden ones only for the department and the case's unit admin. */
  private async visible(id: string, actor: AuthUser): Promise<Case> {
    const found = await this.cases.find(id);
    if (!found) throw CASE_NOT_FOUND();
    if (found.hidden && !isDepartmentAdmin(actor) && !(isAdmin(actor) && actor.unitId === found.unitId)) throw CASE_NOT_FOUND();
    return found;
  }

  /** Moderators: the department and the case's unit admin; another unit's admin is answered as outside (404). */
  private async moderated(id: string, actor: AuthUser): Promise<Case> {
    const found = await this.cases.find(id);
    if (!found) throw CASE_NOT_FOUND();
    if (!isAdmin(actor)) throw new ForbiddenException({ message: '只有组织部和案例所在二级党组织的管理员可以管理案例', code: 'CASE_MODERATORS_ONLY' });
    const unit = adminUnitScope(actor);
    if (unit !== null && unit !== found.unitId) throw CASE_NOT_FOUND();
    return found;
  }

  private async summaries(rows: Case[], actor: AuthUser): Promise<CaseSummaryView[]> {
    const ids = rows.map((r) => r.id);
    const [tags, marked, names, places] = await Promise.all([
      this.cases.tagsOf(ids),
      this.cases.markedBy(actor.id, ids),
      this.people.namesByIds(rows.map((r) => r.authorId)),
      this.org.namesByIds([], [...new Set(rows.map((r) => r.branchId))]),
    ]);
    return rows.map((c) => ({
      id: c.id,
      title: c.title,
      kind: c.kind,
      tags: tags.get(c.id) ?? [],
      unitId: c.unitId,
      branchId: c.branchId,
      branchName: places.branches.get(c.branchId) ?? null,
      author: { id: c.authorId, name: names.get(c.authorId) ?? '' },
      recordId: c.recordId,
      recommended: c.recommendedAt !== null,
      recommendedAt: c.recommendedAt,
      featured: c.featured,
      hidden: c.hidden,
      locked: c.locked,
      usefulCount: c.usefulCount,
      markedUseful: marked.has(c.id),
      createdAt: c.createdAt,
    }));
  }

  private async commentViews(rows: CaseComment[]): Promise<CaseCommentView[]> {
    const names = await this.people.namesByIds(rows.map((r) => r.authorId));
    return rows.map((c) => ({ id: c.id, caseId: c.caseId, author: { id: c.authorId, name: names.get(c.authorId) ?? '' }, body: c.body, bodyHtml: renderMarkdown(c.body), createdAt: c.createdAt }));
  }
}

/** The department sees every case; a unit admin also their unit's hidden ones; everyone else no hidden ones. */
function readerOf(actor: AuthUser): CaseReader {
  if (isDepartmentAdmin(actor)) return 'everything';
  return { seesHiddenOfUnit: isAdmin(actor) ? actor.unitId : null };
}
