import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { ROLES, type Role } from '../common/roles';
import { CreatedAt, IdColumn, RefColumn, UpdatedAt } from '../database/columns';
import { Branch } from '../org/branch.entity';
import { Unit } from '../org/unit.entity';

/**
 * A person. `username` is the staff number (工号). For a secretary `unitId` mirrors the branch's unit so
 * unit-scoped queries need no join; for an admin it makes them a unit admin.
 */
@Entity('users')
@Index('idx_users_role_unit', ['role', 'unitId'])
@Index('idx_users_branch', ['branchId'])
export class User {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  username: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone: string | null;

  @Column({ type: 'enum', enum: ROLES })
  role: Role;

  @RefColumn('branch_id', { nullable: true })
  branchId: string | null;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'branch_id' })
  branch?: Branch | null;

  @RefColumn('unit_id', { nullable: true })
  unitId: string | null;

  @ManyToOne(() => Unit, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'unit_id' })
  unit?: Unit | null;

  /** argon2id for chosen passwords; `otp-sha256$...` for a generated one-time initial password. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, select: false })
  passwordHash: string;

  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword: boolean;

  @Column({ name: 'initial_password_expires_at', type: 'datetime', precision: 3, nullable: true })
  initialPasswordExpiresAt: Date | null;

  /** Bumped on password change or deactivation: tokens carrying an older version stop working. */
  @Column({ name: 'token_version', type: 'int', unsigned: true, default: 0 })
  tokenVersion: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** The weekly digest (学习周报) by mail and in-app; the user may turn it off (PATCH /api/me/preferences). */
  @Column({ name: 'weekly_digest', type: 'boolean', default: true })
  weeklyDigest: boolean;

  @Column({ name: 'last_login_at', type: 'datetime', precision: 3, nullable: true })
  lastLoginAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
