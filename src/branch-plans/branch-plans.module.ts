import { Module } from '@nestjs/common';
import { BranchPlansRepository } from './branch-plans.repository';
import { BranchPlansService } from './branch-plans.service';

/** A branch's annual plan (一表). */
@Module({
  providers: [BranchPlansRepository, BranchPlansService],
  exports: [BranchPlansService],
})
export class BranchPlansModule {}
