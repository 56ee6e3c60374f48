import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Section } from './section.entity';

/** The sections table: the parts of a course's plan. */
@Injectable()
export class SectionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** In plan order. */
  /** The sections of several courses in one query, each course's in plan order. */
  async findByCourses(courseIds: string[]): Promise<Map<string, Section[]>> {
    const byCourse = new Map(courseIds.map((id) => [id, [] as Section[]]));
    if (!courseIds.length) return byCourse;
    const rows = await this.manager().find(Section, { where: { courseId: In(courseIds) }, order: { position: 'ASC', id: 'ASC' } });
    for (const row of rows) byCourse.get(row.courseId)?.push(row);
    return byCourse;
  }

  findByCourse(courseId: string, manager?: EntityManager): Promise<Section[]> {
    return this.manager(manager).find(Section, { where: { courseId }, order: { position: 'ASC', id: 'ASC' } });
  }

  findById(id: string): Promise<Section | null> {
    return this.manager().findOneBy(Section, { id });
  }

  async save(section: Partial<Section>, manager?: EntityManager): Promise<Section> {
    const m = this.manager(manager);
    return m.save(Section, m.create(Section, section));
  }

  async update(id: string, fields: Partial<Section>, manager?: EntityManager): Promise<void> {
    await this.manager(manager).update(Section, { id }, fields);
  }

  async delete(id: string): Promise<void> {
    await this.manager().delete(Section, { id });
  }

  /** The position after the course's last section. */
  async nextPosition(courseId: string): Promise<number> {
    const [row] = await this.manager().query(`SELECT COALESCE(MAX(position), -1) + 1 AS next FROM sections WHERE course_id = ?`, [courseId]);
    return Number(row.next);
  }
}
