import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { Course } from './course.entity';
import { CreatedAt } from '../database/columns';

/** The instructors who teach (and may edit) a course. */
@Entity('course_instructors')
@Index('idx_course_instructors_user', ['userId'])
export class CourseInstructor {
  @PrimaryColumn({ name: 'course_id', type: 'bigint', unsigned: true })
  courseId: string;

  @ManyToOne(() => Course, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'course_id' })
  course?: Course;

  @PrimaryColumn({ name: 'user_id', type: 'bigint', unsigned: true })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @CreatedAt()
  createdAt: Date;
}
