import { Global, Module } from '@nestjs/common';
import { AccessRepository } from './access.repository';
import { CourseAccessService } from './course-access.service';

/**
 * Global: the course-access rules are asked by nearly every feature module (courses, enrollments, progress,
 * the activity modules, reminders, certificates, reports), all above it.
 */
@Global()
@Module({ providers: [AccessRepository, CourseAccessService], exports: [AccessRepository, CourseAccessService] })
export class AccessModule {}
