import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { OrgModule } from '../org/org.module';
import { SurveysController } from './surveys.controller';
import { SurveysRepository } from './surveys.repository';
import { SurveysService } from './surveys.service';

@Module({
  imports: [AccessModule, OrgModule],
  controllers: [SurveysController],
  providers: [SurveysRepository, SurveysService],
  exports: [SurveysRepository],
})
export class SurveysModule {}
