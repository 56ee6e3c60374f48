import { Module } from '@nestjs/common';
import { AssessmentsModule } from '../assessments/assessments.module';
import { CasesModule } from '../cases/cases.module';
import { SurveysModule } from '../surveys/surveys.module';
import { BranchMembersModule } from '../branch-members/branch-members.module';
import { BranchPlansModule } from '../branch-plans/branch-plans.module';
import { HandbookModule } from '../handbook/handbook.module';
import { ConfigModule } from '../config/config.module';
import { ContentModule } from '../content/content.module';
import { DatabaseModule } from '../database/database.module';
import { EventsModule } from '../events/events.module';
import { QueueModule } from '../jobs/queue.module';
import { OrgModule } from '../org/org.module';
import { ProgressModule } from '../progress/progress.module';
import { RedisModule } from '../redis/redis.module';
import { StorageModule } from '../storage/storage.module';
import { UsersModule } from '../users/users.module';

/** What command-line tools (admin:create, demo seeding) need: the services, no HTTP, no queues. */
@Module({ imports: [ConfigModule, DatabaseModule, EventsModule, RedisModule, StorageModule, OrgModule, UsersModule, BranchMembersModule, BranchPlansModule, HandbookModule] })
export class CliModule {}

/**
 * The demo: the command-line services and the department's year — cases, surveys and the assessment scheme
 * (whose module also starts rounds, so with the queues).
 */
@Module({ imports: [CliModule, QueueModule, CasesModule, SurveysModule, AssessmentsModule] })
export class DemoCliModule {}

/** Content import and progress rebuild: the course services, which schedule jobs, so with Redis and queues. */
@Module({ imports: [ConfigModule, DatabaseModule, EventsModule, RedisModule, QueueModule, StorageModule, UsersModule, ContentModule, ProgressModule] })
export class ContentCliModule {}
