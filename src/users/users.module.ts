import { Module } from '@nestjs/common';
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

/** What other modules may ask the users module for. */
const SHARED = [
  UsersService,
  TokenUsersService,
  UsersRepository,
  UserLabelsService,
];

@Module({
  imports: [TypeOrmModule.forFeature([User]), OrgModule],
  controllers: [UsersController, PreferencesController],
  providers: [...SHARED, RosterImportService, TokenUserCache],
  exports: SHARED,
})
export class UsersModule {}
