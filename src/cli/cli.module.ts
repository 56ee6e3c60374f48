import { Module } from '@nestjs/common';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { OrgModule } from '../org/org.module';
import { UsersModule } from '../users/users.module';

/** What command-line tools (admin:create, demo seeding) need: the services, no HTTP, no queues. */
@Module({ imports: [ConfigModule, DatabaseModule, OrgModule, UsersModule] })
export class CliModule {}
