import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Branch } from './branch.entity';
import { OrgController } from './org.controller';
import { OrgService } from './org.service';
import { Unit } from './unit.entity';
import { OrgActivitiesRepository } from './org-activities.repository';

@Module({
  imports: [TypeOrmModule.forFeature([Unit, Branch])],
  controllers: [OrgController],
  providers: [OrgService, OrgActivitiesRepository],
  exports: [OrgService, OrgActivitiesRepository],
})
export class OrgModule {}
