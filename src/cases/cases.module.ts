import { Module } from '@nestjs/common';
import { HandbookModule } from '../handbook/handbook.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgModule } from '../org/org.module';
import { UsersModule } from '../users/users.module';
import { CaseFilesService } from './case-files.service';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

/** 经验交流: cases of good practice shared by branches. */
@Module({
  imports: [HandbookModule, NotificationsModule, OrgModule, UsersModule],
  controllers: [CasesController],
  providers: [CasesRepository, CasesService, CaseFilesService],
})
export class CasesModule {}
