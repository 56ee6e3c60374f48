import { Module } from '@nestjs/common';
import { NormsModule } from '../norms/norms.module';
import { OrgModule } from '../org/org.module';
import { BranchPlansController } from './branch-plans.controller';
import { BranchPlansRepository } from './branch-plans.repository';
import { BranchPlansService } from './branch-plans.service';

/** A branch's annual plan (一表). */
@Module({
  imports: [OrgModule, NormsModule],
  controllers: [BranchPlansController],
  providers: [BranchPlansRepository, BranchPlansService],
  exports: [BranchPlansService],
})
export class BranchPlansModule {}
