import { Module } from '@nestjs/common';
import { OrgRemindersRepository } from './org-reminders.repository';
import { OrgCertificatesRepository } from './org-certificates.repository';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Branch } from './branch.entity';
import { OrgController } from './org.controller';
import { OrgRepository } from './org.repository';
import { OrgService } from './org.service';
import { OrgCliRepository } from './org-cli.repository';
import { OrgEnrollmentsRepository } from './org-enrollments.repository';
import { Unit } from './unit.entity';
import { BranchScope } from './branch-scope';
import { OrgActivitiesRepository } from './org-activities.repository';

@Module({
  imports: [TypeOrmModule.forFeature([Unit, Branch])],
  controllers: [OrgController],
  providers: [OrgService, BranchScope, OrgRepository, OrgRemindersRepository, OrgCertificatesRepository, OrgActivitiesRepository, OrgEnrollmentsRepository, OrgCliRepository],
  exports: [OrgService, BranchScope, OrgRepository, OrgRemindersRepository, OrgCertificatesRepository, OrgActivitiesRepository, OrgEnrollmentsRepository, OrgCliRepository],
})
export class OrgModule {}
