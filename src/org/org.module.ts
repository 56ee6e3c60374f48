import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Branch } from './branch.entity';
import { BranchScope } from './branch-scope';
import { OrgController } from './org.controller';
import { OrgRepository } from './org.repository';
import { OrgService } from './org.service';
import { Unit } from './unit.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Unit, Branch])],
  controllers: [OrgController],
  providers: [OrgService, OrgRepository, BranchScope],
  exports: [OrgService, OrgRepository, BranchScope],
})
export class OrgModule {}
