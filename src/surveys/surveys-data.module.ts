import { Module } from '@nestjs/common';
import { SurveysRepository } from './surveys.repository';

/**
 * The surveys' tables for the modules that read them (certificates: who answered a required questionnaire;
 * progress: the learner's to-do; reminders: who has not answered), apart from SurveysModule and its routes.
 */
@Module({
  providers: [SurveysRepository],
  exports: [SurveysRepository],
})
export class SurveysDataModule {}
