import { Module } from '@nestjs/common';
import { BranchPlansModule } from '../branch-plans/branch-plans.module';
import { CoursesModule } from '../courses/courses.module';
import { HandbookModule } from '../handbook/handbook.module';
import { NormsModule } from '../norms/norms.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgModule } from '../org/org.module';
import { ProgressModule } from '../progress/progress.module';
import { ReadingsModule } from '../readings/readings.module';
import { SuggestionsModule } from '../suggestions/suggestions.module';
import { UsersModule } from '../users/users.module';
import { AssessmentBreakdown } from './assessment-breakdown.service';
import { AssessmentEvidence } from './assessment-evidence.service';
import { AssessmentResultsService } from './assessment-results.service';
import { AssessmentRoundsService } from './assessment-rounds.service';
import { AssessmentSchemesService } from './assessment-schemes.service';
import { AssessmentScoringService } from './assessment-scoring.service';
import { AssessmentSheetController, AssessmentsController } from './assessments.controller';
import { AssessmentsProcessor } from './assessments.processor';
import { AssessmentsRepository } from './assessments.repository';
import { BranchAssessmentController } from './branch-assessment.controller';

/** 考核评估: the yearly assessment of branches, from the evidence the platform already holds. */
@Module({
  imports: [OrgModule, UsersModule, CoursesModule, ProgressModule, HandbookModule, BranchPlansModule, ReadingsModule, SuggestionsModule, NormsModule, NotificationsModule],
  controllers: [AssessmentsController, AssessmentSheetController, BranchAssessmentController],
  providers: [
    AssessmentsRepository,
    AssessmentEvidence,
    AssessmentBreakdown,
    AssessmentSchemesService,
    AssessmentRoundsService,
    AssessmentScoringService,
    AssessmentResultsService,
    AssessmentsProcessor,
  ],
})
export class AssessmentsModule {}
