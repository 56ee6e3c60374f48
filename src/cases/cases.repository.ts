import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CaseKind } from './case-kinds';
import { CaseFile } from './case-file.entity';
import { Case, CaseComment, CaseTag, CaseUsefulMark } from './case.entity';

/** Which cases a reader may see: hidden ones only for the department (null) or the case's unit. */
export type CaseReader = { seesHiddenOfUnit: string | null } | 'everything';

export interface CaseFilter {
  tag?: string;
  kind?: CaseKind;
  featured?: boolean;
  recommended?: boolean;
  q?: string;
}

/** The cases, their tags, comments and useful marks. */
@Injectable()
export class CasesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, row: Pick<Case, 'authorId' | 'unitId' | 'branchId' | 'recordId' | 'title' | 'body' | 'kind'>, tags: string[]): Promise<Case> {
    const saved = await manager.getRepository(Case).save(row);
    if (tags.length) await manager.getRepository(CaseTag).insert(tags.map((tag) => ({ caseId: saved.id, tag })));
    return saved;
  }

  find(id: string): Promise<Case | null> {
    return this.dataSource.getRepository(Case).findOneBy({ id });
  }

  /** Newest first; featured ones first when asked for featured. */
  findPage(reader: CaseReader, filter: CaseFilter, page: { skip: number; take: number }): Promise<[Case[], number]> {
    const query = this.dataSource.getRepository(Case).createQueryBuilder('c').orderBy('c.id', 'DESC');
    if (reader !== 'everything') {
      if (reader.seesHiddenOfUnit === null) query.andWhere('c.hidden = 0');
      else query.andWhere('(c.hidden = 0 OR c.unit_id = :ownUnit)', { ownUnit: reader.seesHiddenOfUnit });
    }
    if (filter.featured !== undefined) query.andWhere('c.featured = :featured', { featured: filter.featured });
    if (filter.recommended !== undefined) query.andWhere(filter.recommended ? 'c.recommended_at IS NOT NULL' : 'c.recommended_at IS NULL');
    if (filter.kind) query.andWhere('c.kind = :kind', { kind: filter.kind });
    if (filter.tag) query.andWhere('EXISTS (SELECT 1 FROM case_tags t WHERE t.case_id = c.id AND t.tag = :tag)', { tag: filter.tag });
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere('(c.title LIKE :like OR c.body LIKE :like)', { like });
    }
    return query.skip(page.skip).take(page.take).getManyAndCount();
  }

  async tagsOf(caseIds: string[]): Promise<Map<string, string[]>> {
    const tags = new Map<string, string[]>(caseIds.map((id) => [id, []]));
    if (!caseIds.length) return tags;
    const rows = await this.dataSource.getRepository(CaseTag).createQueryBuilder('t').where('t.case_id IN (:...caseIds)', { caseIds }).orderBy('t.tag').getMany();
    for (const row of rows) tags.get(String(row.caseId))?.push(row.tag);
    return tags;
  }

  async markedBy(userId: string, caseIds: string[]): Promise<Set<string>> {
    if (!caseIds.length) return new Set();
    const rows = await this.dataSource.getRepository(CaseUsefulMark).createQueryBuilder('m').where('m.user_id = :userId AND m.case_id IN (:...caseIds)', { userId, caseIds }).getMany();
    return new Set(rows.map((r) => String(r.caseId)));
  }

  async update(id: string, values: Partial<Pick<Case, 'recommendedAt' | 'featured' | 'hidden' | 'locked'>>): Promise<void> {
    await this.dataSource.getRepository(Case).update({ id }, values);
  }

  lockCase(manager: EntityManager, id: string): Promise<Case | null> {
    return manager.getRepository(Case).createQueryBuilder('c').setLock('pessimistic_read').where('c.id = :id', { id }).getOne();
  }

  /** The case row held exclusively: uploads to one case take turns, so its file count holds. */
  lockForFiles(manager: EntityManager, id: string): Promise<Case | null> {
    return manager.getRepository(Case).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  }

  addComment(manager: EntityManager, row: Pick<CaseComment, 'caseId' | 'authorId' | 'body'>): Promise<CaseComment> {
    return manager.getRepository(CaseComment).save(row);
  }

  pageComments(caseId: string, page: { skip: number; take: number }): Promise<[CaseComment[], number]> {
    return this.dataSource.getRepository(CaseComment).findAndCount({ where: { caseId }, order: { id: 'ASC' }, skip: page.skip, take: page.take });
  }

  /**
   * Marks the case useful for the user once: the mark's primary key refuses a second row, and only a new row
   * raises the count, in the same transaction, so the count equals the distinct markers however many race.
   */
  async markUseful(manager: EntityManager, caseId: string, userId: string): Promise<void> {
    const result = await manager.query('INSERT IGNORE INTO case_useful_marks (case_id, user_id) VALUES (?, ?)', [caseId, userId]);
    if (result.affectedRows === 1) await manager.query('UPDATE cases SET useful_count = useful_count + 1 WHERE id = ?', [caseId]);
  }

  async usefulCount(caseId: string, manager?: EntityManager): Promise<number> {
    const row = await (manager ?? this.dataSource.manager).getRepository(Case).findOne({ where: { id: caseId }, select: { id: true, usefulCount: true } });
    return row?.usefulCount ?? 0;
  }

  insertFile(manager: EntityManager, row: Omit<CaseFile, 'id' | 'createdAt'>): Promise<CaseFile> {
    return manager.getRepository(CaseFile).save(manager.getRepository(CaseFile).create(row));
  }

  findFile(id: string): Promise<CaseFile | null> {
    return this.dataSource.getRepository(CaseFile).findOneBy({ id });
  }

  filesOf(caseId: string): Promise<CaseFile[]> {
    return this.dataSource.getRepository(CaseFile).find({ where: { caseId }, order: { id: 'ASC' } });
  }

  countFiles(manager: EntityManager, caseId: string): Promise<number> {
    return manager.getRepository(CaseFile).countBy({ caseId });
  }

  async deleteFile(id: string): Promise<void> {
    await this.dataSource.getRepository(CaseFile).delete({ id });
  }
}
