import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { BranchMember } from './branch-member.entity';

/** The branch_members table. */
@Injectable()
export class BranchMembersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The branch's current members (those who have not left), by name. */
  listCurrent(branchId: string): Promise<BranchMember[]> {
    return this.dataSource.getRepository(BranchMember).find({ where: { branchId, leftAt: IsNull() }, order: { name: 'ASC', id: 'ASC' } });
  }

  /** Those of `ids` who are (or were) members of the branch. */
  findInBranch(branchId: string, ids: string[], manager: EntityManager = this.dataSource.manager): Promise<BranchMember[]> {
    if (!ids.length) return Promise.resolve([]);
    return manager
      .getRepository(BranchMember)
      .createQueryBuilder('m')
      .where('m.branch_id = :branchId AND m.id IN (:...ids)', { branchId, ids })
      .getMany();
  }
}
