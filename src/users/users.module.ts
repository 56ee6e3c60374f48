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
import { UsersActivitiesRepository } from './users-activities.repository';

@Module({
  imports: [TypeOrmModule.forFeature([User]), OrgModule],
  controllers: [UsersController, PreferencesController],
  providers: [UsersService, RosterImportService, PeopleEvents, TokenUserCache, UsersActivitiesRepository],
  exports: [UsersService, PeopleEvents, UsersActivitiesRepository],
})
export class UsersModule {}
