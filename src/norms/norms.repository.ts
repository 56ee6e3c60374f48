import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NormVersion } from './norm-version.entity';
import { Norm } from './norm.entity';
import type { NormInput } from './norm-set';

/** The norm_versions and norms tables. */
@Injectable()
export class NormsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The year's newest version, if the year has one. */
  currentVersion(year: number, manager: EntityManager = this.dataSource.manager): Promise<NormVersion | null> {
    return manager.getRepository(NormVersion).findOne({ where: { year }, order: { version: 'DESC' } });
  }

  findVersion(year: number, version: number): Promise<NormVersion | null> {
    return this.dataSource.getRepository(NormVersion).findOne({ where: { year, version } });
  }

  /** The newest version of the closest earlier year that has norms. */
  latestVersionBefore(year: number): Promise<NormVersion | null> {
    return this.dataSource
      .getRepository(NormVersion)
      .createQueryBuilder('v')
      .where('v.year < :year', { year })
      .orderBy('v.year', 'DESC')
      .addOrderBy('v.version', 'DESC')
      .getOne();
  }

  normsOf(versionId: string, manager: EntityManager = this.dataSource.manager): Promise<Norm[]> {
    return manager.getRepository(Norm).find({ where: { versionId }, order: { position: 'ASC', id: 'ASC' } });
  }

  findNorms(ids: string[]): Promise<Norm[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.dataSource.getRepository(Norm).createQueryBuilder('n').where('n.id IN (:...ids)', { ids }).getMany();
  }

  /**
   * Adds `version` of the year's norms, or nothing when that version exists already (another request added it
   * at the same moment): answers whether this call added it.
   */
  async insertVersion(manager: EntityManager, year: number, version: number, createdBy: string | null, items: NormInput[]): Promise<boolean> {
    const added = await manager
      .createQueryBuilder()
      .insert()
      .into(NormVersion)
      .values({ year, version, createdBy })
      .orIgnore()
      .execute();
    // MariaDB answers the new id through RETURNING, MySQL through insertId (0 when the row was ignored).
    const versionId = added.identifiers[0]?.id as string | number | undefined;
    if (!versionId || String(versionId) === '0') return false;
    await manager.getRepository(Norm).insert(items.map((item, position) => ({ ...item, versionId: String(versionId), position })));
    return true;
  }
}
