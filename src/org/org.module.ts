import { Module } from '@nestjs/common';
import { OrgRemindersRepository } from './org-reminders.repository';
import { OrgCertificatesRepository } from './org-certificates.repository';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Branch } from './branch.entity';
import { OrgController } from './org.controller';
import { OrgRepository } from './org.repository';
import { OrgService } from './org.service';
import { Unit } from './unit.entity';
import { OrgActivitiesRepository } from './org-activities.repository';

@Module({
  imports: [TypeOrmModule.forFeature([Unit, Branch])],
  controllers: [OrgController],
  providers: [OrgService, OrgRepository, OrgRemindersRepository, OrgCertificatesRepository, OrgActivitiesRepository],
  exports: [OrgService, OrgRepository, OrgRemindersRepository, OrgCertificatesRepository, OrgActivitiesRepository],
})
export class OrgModule {}
