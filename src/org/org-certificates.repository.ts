import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** What certificates ask of the units and branches tables. */
@Injectable()
export class OrgCertificatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for certificates

  /** The names of these units and branches (one query each). */
  async namesByIds(ids: { unitIds: string[]; branchIds: string[] }, manager?: EntityManager): Promise<{ units: Map<string, string>; branches: Map<string, string> }> {
    const db = manager ?? this.dataSource.manager;
    const names = async (table: 'units' | 'branches', list: string[]) => {
      if (!list.length) return new Map<string, string>();
      const rows: Array<{ id: string; name: string }> = await db.query(`SELECT id, name FROM ${table} WHERE id IN (?)`, [[...new Set(list)]]);
      return new Map(rows.map((r) => [String(r.id), r.name]));
    };
    return { units: await names('units', ids.unitIds), branches: await names('branches', ids.branchIds) };
  }
}
