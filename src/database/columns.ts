import {
  Column,
  CreateDateColumn,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type ObjectType,
  type RelationOptions,
} from 'typeorm';

// Ids are BIGINT UNSIGNED and read as strings: mysql2 returns them so, and a JS number would lose digits past 2^53.
const BIGINT_ID = { type: 'bigint', unsigned: true } as const;

/** The table's own auto-increment id. */
export const IdColumn = (): PropertyDecorator => PrimaryGeneratedColumn(BIGINT_ID);

export interface RefColumnOptions {
  nullable?: boolean;
  unique?: boolean;
  /** Part of the table's (composite) primary key, so never null. */
  primary?: boolean;
  /**
   * The table the id points at: declares the many-to-one relation, and so the foreign key, under the property's
   * name without its `Id` (`courseId` → `course`), the name a query joins it by.
   */
  references?: () => ObjectType<unknown>;
  /** What the foreign key does when the referenced row is deleted (with `references`). */
  onDelete?: RelationOptions['onDelete'];
}

/** Another row's id (`course_id`, `user_id`, ...): the same BIGINT UNSIGNED as IdColumn, read as a string. */
export const RefColumn =
  (name: string, { primary, references, onDelete = 'RESTRICT', ...options }: RefColumnOptions = {}): PropertyDecorator =>
  (target, property) => {
    (primary ? PrimaryColumn({ name, ...BIGINT_ID }) : Column({ name, ...BIGINT_ID, ...options }))(target, property);
    if (references) {
      const relation = String(property).replace(/Id$/, '');
      JoinColumn({ name })(target, relation);
      ManyToOne(references, { onDelete })(target, relation);
    }
  };

// Millisecond precision with a default of the same precision: MySQL 8 rejects DATETIME(3) DEFAULT CURRENT_TIMESTAMP(6).
export const CreatedAt = () =>
  CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' });

export const UpdatedAt = () =>
  UpdateDateColumn({
    name: 'updated_at',
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
    onUpdate: 'CURRENT_TIMESTAMP(3)',
  });

/** When a row was created and last changed: the two columns most tables end with. */
export abstract class Timestamped {
  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}

/**
 * The columns of work that is submitted and then reviewed (a reflection, a branch's plan or record): when it
 * was submitted, who reviewed it and when, and the two timestamps.
 */
export abstract class ReviewedWork extends Timestamped {
  @Column({ name: 'submitted_at', type: 'datetime', precision: 3, nullable: true })
  submittedAt: Date | null;

  @RefColumn('reviewed_by', { nullable: true })
  reviewedBy: string | null;

  @Column({ name: 'reviewed_at', type: 'datetime', precision: 3, nullable: true })
  reviewedAt: Date | null;
}
