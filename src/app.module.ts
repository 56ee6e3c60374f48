import { AssessmentsModule } from './assessments/assessments.module';
import { CasesModule } from './cases/cases.module';
import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { CertificatesModule } from './certificates/certificates.module';
import type { IncomingMessage } from 'node:http';
import { LoggerModule, Params } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/config';
import { APP_CONFIG, ConfigModule } from './config/config.module';
import { CoursesModule } from './courses/courses.module';
import { DatabaseModule } from './database/database.module';
import { DiscussionsModule } from './discussions/discussions.module';
import { EnrollmentsModule } from './enrollments/enrollments.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { QueueModule } from './jobs/queue.module';
import { QueueBoardModule } from './jobs/queue-board.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OrgModule } from './org/org.module';
import { ProgressModule } from './progress/progress.module';
import { ReadingsModule } from './readings/readings.module';
import { RemindersModule } from './reminders/reminders.module';
import { QuizzesModule } from './quizzes/quizzes.module';
import { RedisModule } from './redis/redis.module';
import { ReportsModule } from './reports/reports.module';
import { ScheduleModule } from './schedule/schedule.module';
import { SessionsModule } from './sessions/sessions.module';
import { StorageModule } from './storage/storage.module';
import { SuggestionsModule } from './suggestions/suggestions.module';
import { UsersModule } from './users/users.module';
import { VideosModule } from './videos/videos.module';
import { NormsModule } from './norms/norms.module';
import { BranchMembersModule } from './branch-members/branch-members.module';
import { BranchPlansModule } from './branch-plans/branch-plans.module';
import { HandbookModule } from './handbook/handbook.module';
import { SurveysModule } from './surveys/surveys.module';

export function loggerOptions(config: AppConfig, service: 'api' | 'worker' = 'api'): Params {
  return {
    pinoHttp: {
      level: config.http.logLevel,
      // The request id Fastify assigned (or the caller's x-request-id) ties every log line to one request.
      genReqId: (req: IncomingMessage) => req.id ?? '',
      customProps: () => ({ service }),
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
    },
    // Video progress reports arrive about every 15 s from every viewer (thousands a second at province scale):
    // one access-log line each would drown the log, and the per-request logger is a large share of their cost.
    // Their errors are still logged by the exception filter.
    exclude: [{ method: RequestMethod.POST, path: 'activities/:id/progress' }],
  };
}

@Module({
  imports: [
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerOptions(config, 'api') }),
    DatabaseModule,
    RedisModule,
    StorageModule,
    QueueModule,
    EventsModule,
    OrgModule,
    UsersModule,
    AuthModule,
    HealthModule,
    CoursesModule,
    ScheduleModule,
    EnrollmentsModule,
    ProgressModule,
    VideosModule,
    ReadingsModule,
    NotificationsModule,
    QuizzesModule,
    DiscussionsModule,
    SessionsModule,
    SuggestionsModule,
    RemindersModule,
    QueueBoardModule,
    CertificatesModule,
    ReportsModule,
    NormsModule,
    AssessmentsModule,
    BranchMembersModule,
    BranchPlansModule,
    HandbookModule,
    CasesModule,
    SurveysModule,
  ],
})
export class AppModule {
  /** The API's modules on the given configuration (see createApp). */
  static withConfig(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.forRoot(config)] };
  }
}
