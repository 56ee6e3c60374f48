import { Module } from '@nestjs/common';
import { BranchMembersModule } from '../branch-members/branch-members.module';
import { BranchPlansModule } from '../branch-plans/branch-plans.module';
import { NormsModule } from '../norms/norms.module';
import { OrgModule } from '../org/org.module';
import { UsersModule } from '../users/users.module';
import { BranchHandbookController, RecordsController } from './handbook.controller';
import { HandbookExportService } from './handbook-export.service';
import { HandbookRepository } from './handbook.repository';
import { RecordAttachmentsService } from './record-attachments.service';
import { RecordsService } from './records.service';
import { RecordCountsRepository } from './record-counts.repository';

/** The branch's work handbook (一册): its records (工作纪实) of what it held, reviewed by the unit, and the printed year. */
@Module({
  imports: [OrgModule, NormsModule, BranchMembersModule, BranchPlansModule, UsersModule],
  controllers: [BranchHandbookController, RecordsController],
  providers: [HandbookRepository, RecordCountsRepository, RecordsService, RecordAttachmentsService, HandbookExportService],
  exports: [RecordsService, HandbookRepository, RecordCountsRepository],
})
export class HandbookModule {}
