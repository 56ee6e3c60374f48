import { Entity, Index } from 'typeorm';
import { User } from '../users/user.entity';
import { Course } from './course.entity';
import { CreatedAt, RefColumn } from '../database/columns';

/** The instructors who teach (and may edit) a course. */
@Entity('course_instructors')
@Index('idx_course_instructors_user', ['userId'])
export class CourseInstructor {
  @RefColumn('course_id', { primary: true, references: () => Course })
  courseId: string;

  @RefColumn('user_id', { primary: true, references: () => User })
  userId: string;

  @CreatedAt()
  createdAt: Date;
}
