import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { Suggestion, SuggestionStatus } from './suggestion.entity';

/** Whose suggestions a reader sees: an author's own, one unit's, or (null) all. */
export type SuggestionReader = { authorId: string } | { unitId: string } | null;

/** The suggestions table. */
@Injectable()
export class SuggestionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insert(row: Pick<Suggestion, 'authorId' | 'unitId' | 'courseId' | 'title' | 'body' | 'anonymous'>): Promise<Suggestion> {
    return this.suggestions().save(row);
  }

  /** Newest first. */
  findPage(
    reader: SuggestionReader,
    filter: { status?: SuggestionStatus; courseId?: string },
    page: { skip: number; take: number },
  ): Promise<[Suggestion[], number]> {
    const query = this.visibleTo(reader).orderBy('s.id', 'DESC');
    if (filter.status) query.andWhere('s.status = :status', { status: filter.status });
    if (filter.courseId) query.andWhere('s.course_id = :courseId', { courseId: filter.courseId });
    return query.skip(page.skip).take(page.take).getManyAndCount();
  }

  findVisible(id: string, reader: SuggestionReader): Promise<Suggestion | null> {
    return this.visibleTo(reader).andWhere('s.id = :id', { id }).getOne();
  }

  async recordReply(id: string, reply: { text: string; status: SuggestionStatus }): Promise<void> {
    await this.suggestions().update({ id }, { reply: reply.text, status: reply.status, repliedAt: new Date() });
  }

  private visibleTo(reader: SuggestionReader): SelectQueryBuilder<Suggestion> {
    const query = this.suggestions().createQueryBuilder('s').where('1 = 1');
    if (reader && 'authorId' in reader) query.andWhere('s.author_id = :me', { me: reader.authorId });
    if (reader && 'unitId' in reader) query.andWhere('s.unit_id = :unit', { unit: reader.unitId });
    return query;
  }

  private suggestions() {
    return this.dataSource.getRepository(Suggestion);
  }

  /** Per author, the suggestions they made in [from, to). */
  async countsByAuthors(authorIds: string[], from: Date, to: Date): Promise<Map<string, number>> {
    if (!authorIds.length) return new Map();
    const rows: { author_id: string; n: string }[] = await this.dataSource.query(
      `SELECT author_id, COUNT(*) AS n FROM suggestions WHERE author_id IN (?) AND created_at >= ? AND created_at < ? GROUP BY author_id`,
      [authorIds, from, to],
    );
    return new Map(rows.map((r) => [String(r.author_id), Number(r.n)]));
  }
}
