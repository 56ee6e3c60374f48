import { Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt } from '../database/columns';

/** The instructors who teach (and may edit) a course. */
@Entity('course_instructors')
@Index('idx_course_instructors_user', ['userId'])
export class CourseInstructor {
  @PrimaryColumn({ name: 'course_id', type: 'bigint', unsigned: true })
  courseId: string;

  @PrimaryColumn({ name: 'user_id', type: 'bigint', unsigned: true })
  userId: string;

  @CreatedAt()
  createdAt: Date;
}
