import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Branch } from './branch.entity';
import { OrgController } from './org.controller';
import { OrgService } from './org.service';
import { OrgEnrollmentsRepository } from './org-enrollments.repository';
import { Unit } from './unit.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Unit, Branch])],
  controllers: [OrgController],
  providers: [OrgService, OrgEnrollmentsRepository],
  exports: [OrgService, OrgEnrollmentsRepository],
})
export class OrgModule {}
