import { Module } from '@nestjs/common';
import { NormsModule } from '../norms/norms.module';
import { OrgModule } from '../org/org.module';
import { BranchPlansListController } from './branch-plans-list.controller';
import { BranchPlansController } from './branch-plans.controller';
import { BranchPlansRepository } from './branch-plans.repository';
import { BranchPlansService } from './branch-plans.service';

/** A branch's annual plan (一表). */
@Module({
  imports: [OrgModule, NormsModule],
  controllers: [BranchPlansController, BranchPlansListController],
  providers: [BranchPlansRepository, BranchPlansService],
  exports: [BranchPlansService, BranchPlansRepository],
})
export class BranchPlansModule {}
