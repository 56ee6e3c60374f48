import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The units and branches tables as the enrollments module asks them. */
@Injectable()
export class OrgEnrollmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for enrollments
  /** Which of these branches exist (in the unit, when given). */
  async branchIdsAmong(branchIds: string[], unitId: string | null): Promise<Set<string>> {
    if (!branchIds.length) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT b.id FROM branches b WHERE b.id IN (?)${unitId !== null ? ' AND b.unit_id = ?' : ''}`,
      [branchIds, ...(unitId !== null ? [unitId] : [])],
    );
    return new Set(rows.map((row) => String(row.id)));
  }

  /** Which of these units exist (only the given one, when given). */
  async unitIdsAmong(unitIds: string[], unitId: string | null): Promise<Set<string>> {
    if (!unitIds.length) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT un.id FROM units un WHERE un.id IN (?)${unitId !== null ? ' AND un.id = ?' : ''}`,
      [unitIds, ...(unitId !== null ? [unitId] : [])],
    );
    return new Set(rows.map((row) => String(row.id)));
  }

  /** The names of a page's branches and units, by id: one query each per page. */
  async namesOf(branchIds: string[], unitIds: string[]): Promise<{ branches: Map<string, string>; units: Map<string, string> }> {
    const names = async (table: 'branches' | 'units', ids: string[]) => {
      if (!ids.length) return new Map<string, string>();
      const rows: { id: string; name: string }[] = await this.dataSource.query(`SELECT id, name FROM ${table} WHERE id IN (?)`, [[...new Set(ids)]]);
      return new Map(rows.map((row) => [String(row.id), row.name]));
    };
    return { branches: await names('branches', branchIds), units: await names('units', unitIds) };
  }
}
