import { Module } from '@nestjs/common';
import { BranchMembersRepository } from './branch-members.repository';
import { BranchMembersService } from './branch-members.service';

/** A branch's member list. */
@Module({
  providers: [BranchMembersRepository, BranchMembersService],
  exports: [BranchMembersService],
})
export class BranchMembersModule {}
