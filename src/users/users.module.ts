import { Module } from '@nestjs/common';
import { UsersRemindersRepository } from './users-reminders.repository';
import { UsersSuggestionsRepository } from './users-suggestions.repository';
import { UsersCertificatesRepository } from './users-certificates.repository';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgModule } from '../org/org.module';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { PreferencesController } from './preferences.controller';
import { PeopleEvents } from './people-events';
import { RosterImportService } from './roster-import.service';
import { TokenUserCache } from './token-user-cache';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), OrgModule],
  controllers: [UsersController, PreferencesController],
  providers: [UsersRemindersRepository, UsersSuggestionsRepository, UsersCertificatesRepository, UsersService, RosterImportService, PeopleEvents, TokenUserCache],
  exports: [UsersRemindersRepository, UsersSuggestionsRepository, UsersCertificatesRepository, UsersService, PeopleEvents],
})
export class UsersModule {}
