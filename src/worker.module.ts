import { Module } from '@nestjs/common';
import { AssessmentsModule } from './assessments/assessments.module';
import { CertificatesModule } from './certificates/certificates.module';
import { DiscoveryModule } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { loggerOptions } from './app.module';
import { AppConfig } from './config/config';
import { APP_CONFIG, ConfigModule } from './config/config.module';
import { CoursesModule } from './courses/courses.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { JobDispatcher } from './jobs/job-dispatcher.service';
import { JobSchedules } from './jobs/job-schedules.service';
import { QUEUE_PROCESSORS } from './jobs/processors';
import { QueueModule } from './jobs/queue.module';
import { WorkerHeartbeat } from './jobs/worker-heartbeat.service';
import { ProgressModule } from './progress/progress.module';
import { QuizzesModule } from './quizzes/quizzes.module';
import { RedisModule } from './redis/redis.module';
import { RemindersModule } from './reminders/reminders.module';
import { ReportsModule } from './reports/reports.module';
import { StorageModule } from './storage/storage.module';
import { VideosModule } from './videos/videos.module';

/** The worker process: the same feature modules as the API, with queue processors and no HTTP. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerOptions(config, 'worker') }),
    DatabaseModule,
    RedisModule,
    StorageModule,
    QueueModule,
    EventsModule,
    DiscoveryModule,
    CoursesModule,
    // Its in-transaction handlers (closing freezes results) must be loaded wherever courses change.
    ProgressModule,
    VideosModule,
    QuizzesModule,
    RemindersModule,
    CertificatesModule,
    ReportsModule,
    AssessmentsModule,
  ],
  providers: [JobDispatcher, JobSchedules, WorkerHeartbeat, ...QUEUE_PROCESSORS],
})
export class WorkerModule {}
