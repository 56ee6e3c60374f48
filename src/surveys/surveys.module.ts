import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { OrgModule } from '../org/org.module';
import { SurveysDataModule } from './surveys-data.module';
import { SurveysController } from './surveys.controller';
import { SurveysService } from './surveys.service';

@Module({
  imports: [AccessModule, OrgModule, SurveysDataModule],
  controllers: [SurveysController],
  providers: [SurveysService],
})
export class SurveysModule {}
