import { Module } from '@nestjs/common';
import { OrgModule } from '../org/org.module';
import { BranchMembersController } from './branch-members.controller';
import { BranchMembersRepository } from './branch-members.repository';
import { BranchMembersService } from './branch-members.service';

/** A branch's member list. */
@Module({
  imports: [OrgModule],
  controllers: [BranchMembersController],
  providers: [BranchMembersRepository, BranchMembersService],
  exports: [BranchMembersService],
})
export class BranchMembersModule {}
