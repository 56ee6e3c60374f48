import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn, UpdatedAt } from '../database/columns';
import { User } from '../users/user.entity';
import { CASE_KINDS, type CaseKind } from './case-kinds';

/** 经验交流: a practice a branch shares, recommended by its unit, featured by the department as 优秀案例. */
@Entity('cases')
@Index('idx_cases_featured', ['featured', 'id'])
@Index('idx_cases_unit', ['unitId', 'id'])
@Index('idx_cases_kind', ['kind', 'id'])
export class Case {
  @IdColumn()
  id: string;

  @RefColumn('author_id', { references: () => User })
  authorId: string;

  /** The branch and its unit when it was shared: the unit admin recommends and moderates it. */
  @RefColumn('unit_id')
  unitId: string;

  @RefColumn('branch_id')
  branchId: string;

  /** The handbook record it was made from, if any. */
  @RefColumn('record_id', { nullable: true })
  recordId: string | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'mediumtext' })
  body: string;

  /** 类别: which kind of practice it is (组织生活, 党员教育, …), to search by. */
  @Column({ type: 'enum', enum: CASE_KINDS, default: 'other' })
  kind: CaseKind;

  @Column({ name: 'recommended_at', type: 'datetime', precision: 3, nullable: true })
  recommendedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  featured: boolean;

  @Column({ type: 'boolean', default: false })
  hidden: boolean;

  @Column({ type: 'boolean', default: false })
  locked: boolean;

  /** Kept with every mark in the same transaction; equals the number of rows in case_useful_marks. */
  @Column({ name: 'useful_count', type: 'int', unsigned: true, default: 0 })
  usefulCount: number;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}

@Entity('case_tags')
@Index('idx_case_tags_tag', ['tag', 'caseId'])
export class CaseTag {
  @RefColumn('case_id', { primary: true, references: () => Case, onDelete: 'CASCADE' })
  caseId: string;

  @PrimaryColumn({ type: 'varchar', length: 30 })
  tag: string;
}

@Entity('case_comments')
@Index('idx_case_comments_case', ['caseId', 'id'])
export class CaseComment {
  @IdColumn()
  id: string;

  @RefColumn('case_id', { references: () => Case, onDelete: 'CASCADE' })
  caseId: string;

  @RefColumn('author_id', { references: () => User })
  authorId: string;

  @Column({ type: 'text' })
  body: string;

  @CreatedAt()
  createdAt: Date;
}

/** One row per person who found the case useful: the primary key makes the mark once per person. */
@Entity('case_useful_marks')
export class CaseUsefulMark {
  @RefColumn('case_id', { primary: true, references: () => Case, onDelete: 'CASCADE' })
  caseId: string;

  @RefColumn('user_id', { primary: true, references: () => User })
  userId: string;

  @CreatedAt()
  createdAt: Date;
}
