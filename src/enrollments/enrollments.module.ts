import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AccessModule } from '../access/access.module';
import { CoursesModule } from '../courses/courses.module';
import { OrgModule } from '../org/org.module';
import { UsersModule } from '../users/users.module';
import { EnrollmentsController } from './enrollments.controller';
import { EnrollmentsRepository } from './enrollments.repository';
import { EnrollmentsService } from './enrollments.service';
import { LearnerFiguresSources } from './learner-figures';

@Module({
  imports: [AccessModule, CoursesModule, UsersModule, OrgModule, DiscoveryModule],
  controllers: [EnrollmentsController],
  providers: [EnrollmentsService, EnrollmentsRepository, LearnerFiguresSources],
  exports: [EnrollmentsService, EnrollmentsRepository],
})
export class EnrollmentsModule {}
