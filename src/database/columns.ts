import { CreateDateColumn, UpdateDateColumn } from 'typeorm';

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
