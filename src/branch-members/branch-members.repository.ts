import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { BranchMember } from './branch-member.entity';

export type NewMember = Pick<BranchMember, 'branchId' | 'name' | 'category' | 'joinedAt'>;
export type MemberChange = Partial<Pick<BranchMember, 'name' | 'category' | 'joinedAt' | 'leftAt'>>;

/** The branch_members table. */
@Injectable()
export class BranchMembersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The branch's current members (those who have not left), by name. */
  listCurrent(branchId: string, manager: EntityManager = this.dataSource.manager): Promise<BranchMember[]> {
    return manager.getRepository(BranchMember).find({ where: { branchId, leftAt: IsNull() }, order: { name: 'ASC', id: 'ASC' } });
  }

  /** Every member the branch has had, current ones first. */
  listAll(branchId: string): Promise<BranchMember[]> {
    return this.dataSource
      .getRepository(BranchMember)
      .createQueryBuilder('m')
      .where('m.branch_id = :branchId', { branchId })
      .orderBy('m.left_at IS NULL', 'DESC')
      .addOrderBy('m.name', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .getMany();
  }

  findOne(branchId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<BranchMember | null> {
    return manager.getRepository(BranchMember).findOne({ where: { branchId, id } });
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

  async insert(manager: EntityManager, members: NewMember[]): Promise<void> {
    if (members.length) await manager.getRepository(BranchMember).insert(members);
  }

  async insertOne(member: NewMember): Promise<string> {
    const result = await this.dataSource.getRepository(BranchMember).insert(member);
    return String(result.identifiers[0].id);
  }

  async update(id: string, change: MemberChange, manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (Object.keys(change).length) await manager.getRepository(BranchMember).update({ id }, change);
  }
}
