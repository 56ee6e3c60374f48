import { Module } from '@nestjs/common';
import { UsersRemindersRepository } from './users-reminders.repository';
import { UsersSuggestionsRepository } from './users-suggestions.repository';
import { UsersCertificatesRepository } from './users-certificates.repository';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgModule } from '../org/org.module';
import { PreferencesController } from './preferences.controller';
import { RosterImportService } from './roster-import.service';
import { TokenUserCache } from './token-user-cache';
import { TokenUsersService } from './token-users.service';
import { User } from './user.entity';
import { UserLabelsService } from './user-labels.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { UsersActivitiesRepository } from './users-activities.repository';
import { UsersCliRepository } from './users-cli.repository';
import { UsersCoursesRepository } from './users-courses.repository';
import { UsersEnrollmentsRepository } from './users-enrollments.repository';

/** What other modules may ask the users module for. */
const SHARED = [
  UsersService,
  TokenUsersService,
  UsersRepository,
  UserLabelsService,
  UsersRemindersRepository,
  UsersSuggestionsRepository,
  UsersCertificatesRepository,
  UsersActivitiesRepository,
  UsersCoursesRepository,
  UsersEnrollmentsRepository,
  UsersCliRepository,
];

@Module({
  imports: [TypeOrmModule.forFeature([User]), OrgModule],
  controllers: [UsersController, PreferencesController],
  providers: [...SHARED, RosterImportService, TokenUserCache],
  exports: SHARED,
})
export class UsersModule {}
