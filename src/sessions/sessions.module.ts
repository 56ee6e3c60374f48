import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { OrgModule } from '../org/org.module';
import { ProgressModule } from '../progress/progress.module';
import { UsersModule } from '../users/users.module';
import { AttendanceMarks } from './attendance-marks';
import { AttendanceRepository } from './attendance.repository';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [CoursesModule, EnrollmentsModule, OrgModule, ProgressModule, UsersModule],
  controllers: [SessionsController],
  providers: [SessionsService, AttendanceRepository, AttendanceMarks],
  exports: [AttendanceRepository],
})
export class SessionsModule {}
