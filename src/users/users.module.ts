import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgModule } from '../org/org.module';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { PreferencesController } from './preferences.controller';
import { PeopleEvents } from './people-events';
import { RosterImportService } from './roster-import.service';
import { TokenUserCache } from './token-user-cache';
import { UsersService } from './users.service';
import { UsersCliRepository } from './users-cli.repository';
import { UsersCoursesRepository } from './users-courses.repository';
import { UsersEnrollmentsRepository } from './users-enrollments.repository';

@Module({
  imports: [TypeOrmModule.forFeature([User]), OrgModule],
  controllers: [UsersController, PreferencesController],
  providers: [UsersService, RosterImportService, PeopleEvents, TokenUserCache, UsersCoursesRepository, UsersEnrollmentsRepository, UsersCliRepository],
  exports: [UsersService, PeopleEvents, UsersCoursesRepository, UsersEnrollmentsRepository, UsersCliRepository],
})
export class UsersModule {}
