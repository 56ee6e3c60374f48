import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn, UpdatedAt } from '../database/columns';
import { Branch } from '../org/branch.entity';

export const MEMBER_CATEGORIES = ['full', 'probationary'] as const;
export type MemberCategory = (typeof MEMBER_CATEGORIES)[number];

/**
 * A member of a branch (正式党员 or 预备党员), as the branch's records count attendance. Not a platform user: most
 * members never log in. A member who leaves keeps their row (records name them) and gets `leftAt`.
 */
@Entity('branch_members')
@Index('idx_branch_members_branch', ['branchId', 'leftAt', 'name'])
export class BranchMember {
  @IdColumn()
  id: string;

  @RefColumn('branch_id', { references: () => Branch })
  branchId: string;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  @Column({ type: 'enum', enum: MEMBER_CATEGORIES, default: 'full' })
  category: MemberCategory;

  @Column({ name: 'joined_at', type: 'date', nullable: true })
  joinedAt: string | null;

  @Column({ name: 'left_at', type: 'date', nullable: true })
  leftAt: string | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
