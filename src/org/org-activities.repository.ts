import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Unit and branch names as the learning activities label people with them: SQL on units and branches only. */
@Injectable()
export class OrgActivitiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The names of these units and branches, two queries whatever their number. */
  async namesByIds(unitIds: string[], branchIds: string[]): Promise<{ units: Map<string, string>; branches: Map<string, string> }> {
    const names = async (table: 'units' | 'branches', ids: string[]) => {
      if (!ids.length) return new Map<string, string>();
      const rows: { id: string; name: string }[] = await this.dataSource.query(`SELECT id, name FROM ${table} WHERE id IN (?)`, [[...new Set(ids)]]);
      return new Map(rows.map((r) => [String(r.id), r.name]));
    };
    return { units: await names('units', unitIds), branches: await names('branches', branchIds) };
  }
}
