import { Module } from '@nestjs/common';
import { CoursePlansReader } from './course-plans.reader';
import { DiscoveryModule } from '@nestjs/core';
import { AccessModule } from '../access/access.module';
import { UsersModule } from '../users/users.module';
import { ActivitiesRepository } from './activities.repository';
import { ActivitiesService } from './activities.service';
import { CourseClosingProcessor } from './course-closing.processor';
import { CoursePlanService } from './course-plan.service';
import { ActivitiesController, CoursesController, SectionsController } from './courses.controller';
import { CoursesRepository } from './courses.repository';
import { CoursesService } from './courses.service';
import { PlanValidators } from './plan-validators';
import { SectionsRepository } from './sections.repository';

@Module({
  imports: [AccessModule, DiscoveryModule, UsersModule],
  controllers: [CoursesController, SectionsController, ActivitiesController],
  providers: [CoursesService, ActivitiesService, CourseClosingProcessor, CoursesRepository, SectionsRepository, ActivitiesRepository, CoursePlanService, PlanValidators, CoursePlansReader],
  exports: [CoursesService, CoursesRepository, SectionsRepository, ActivitiesRepository, CoursePlansReader],
})
export class CoursesModule {}
