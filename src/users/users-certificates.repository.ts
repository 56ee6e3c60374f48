import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface PersonPlace {
  name: string;
  unitId: string | null;
  branchId: string | null;
}

/** What certificates ask of the users table. */
@Injectable()
export class UsersCertificatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for certificates

  /** Name, unit and branch of each of these people, in one query. */
  async placesByIds(ids: string[], manager?: EntityManager): Promise<Map<string, PersonPlace>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; name: string; unit_id: string | null; branch_id: string | null }> = await (manager ?? this.dataSource.manager).query(
      `SELECT id, name, unit_id, branch_id FROM users WHERE id IN (?)`,
      [ids],
    );
    return new Map(
      rows.map((r) => [String(r.id), { name: r.name, unitId: r.unit_id === null ? null : String(r.unit_id), branchId: r.branch_id === null ? null : String(r.branch_id) }]),
    );
  }
}
