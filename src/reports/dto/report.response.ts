import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';

const SOURCE = { enum: ['live', 'snapshot'], description: 'snapshot: the frozen results of a closed course; live: the stored summaries' };

export class AverageProgressResponse {
  @ApiProperty({ type: Number, nullable: true, description: 'average share of required activities done (0–1)' }) required: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'average share of the required 学时 (0–1)' }) creditHours: number | null;
}

export class UnitRateResponse {
  @ApiProperty({ type: String, nullable: true, description: 'null: learners outside any unit' }) unitId: string | null;
  @ApiProperty() name: string;
  @ApiProperty() enrolled: number;
  @ApiProperty() completed: number;
  @ApiProperty({ description: '0–1' }) rate: number;
  @ApiProperty({ type: AverageProgressResponse }) progress: AverageProgressResponse;
}

export class BranchRateResponse {
  @ApiProperty({ type: String, nullable: true }) branchId: string | null;
  @ApiProperty({ type: String, nullable: true }) unitId: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'the unit’s name' }) unit: string;
  @ApiProperty() enrolled: number;
  @ApiProperty() completed: number;
  @ApiProperty({ description: '0–1' }) rate: number;
  @ApiProperty({ type: AverageProgressResponse }) progress: AverageProgressResponse;
}

export class ActivityRateResponse {
  @ApiProperty() activityId: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['video', 'reading', 'quiz', 'discussion', 'session'] }) type: string;
  @ApiProperty() required: boolean;
  @ApiProperty({ type: Date, nullable: true }) dueAt: Date | null;
  @ApiProperty() done: number;
  @ApiProperty({ description: '0–1' }) rate: number;
  @ApiProperty({ description: 'learners who have not done it although its due date has passed' }) overdue: number;
}

export class CreditHoursBandResponse {
  @ApiProperty() from: number;
  @ApiProperty() to: number;
  @ApiProperty() learners: number;
}

export class WeeklyCompletionResponse {
  @ApiProperty() week: number;
  @ApiProperty() endsAt: Date;
  @ApiProperty() completed: number;
  @ApiProperty() rate: number;
}

export class OverdueTotalsResponse {
  @ApiProperty({ description: 'required activities past their due date' }) activities: number;
  @ApiProperty({ description: 'learner-activity pairs not done past the due date' }) missing: number;
}

export class ProgressBandResponse {
  @ApiProperty({ enum: ['0', '1-25', '26-50', '51-75', '76-99', '100'], description: 'percent band' }) bucket: string;
  @ApiProperty({ description: 'percent' }) from: number;
  @ApiProperty({ description: 'percent' }) to: number;
  @ApiProperty() learners: number;
}

export class WeeklyProgressResponse {
  @ApiProperty({ description: 'the Monday (Beijing), YYYY-MM-DD' }) weekStart: string;
  @ApiProperty({ type: Number, nullable: true }) required: number | null;
}

export class ProgressFiguresResponse {
  @ApiProperty({ description: 'anyone in scope has done anything that counts' }) started: boolean;
  @ApiProperty() requiredTotal: number;
  @ApiProperty() requiredCreditHours: number;
  @ApiProperty({ type: AverageProgressResponse }) average: AverageProgressResponse;
  @ApiProperty({ type: [ProgressBandResponse] }) distribution: ProgressBandResponse[];
  @ApiProperty({ type: [WeeklyProgressResponse] }) weekly: WeeklyProgressResponse[];
  @ApiProperty({ description: 'branches differ in progress or completion: rank them only then' }) branchesDiffer: boolean;
  @ApiProperty() unitsDiffer: boolean;
}

export class UnitOverdueResponse {
  @ApiProperty({ type: String, nullable: true }) unitId: string | null;
  @ApiProperty() name: string;
  @ApiProperty() enrolled: number;
  @ApiProperty() learnersOverdue: number;
  @ApiProperty() overdueItems: number;
}

export class CompletionReportResponse {
  @ApiProperty() courseId: string;
  @ApiProperty(SOURCE) source: 'live' | 'snapshot';
  @ApiProperty({ type: String, nullable: true, description: 'the unit the report is limited to' }) unitId: string | null;
  @ApiProperty() enrolled: number;
  @ApiProperty() completed: number;
  @ApiProperty({ description: '0–1' }) rate: number;
  @ApiProperty({ type: [UnitRateResponse] }) byUnit: UnitRateResponse[];
  @ApiProperty({ type: [BranchRateResponse] }) byBranch: BranchRateResponse[];
  @ApiProperty({ type: [ActivityRateResponse] }) byActivity: ActivityRateResponse[];
  @ApiProperty({ type: [CreditHoursBandResponse], description: '学时 distribution' }) creditHours: CreditHoursBandResponse[];
  @ApiProperty({ type: [WeeklyCompletionResponse] }) weekly: WeeklyCompletionResponse[];
  @ApiProperty({ type: OverdueTotalsResponse }) overdue: OverdueTotalsResponse;
  @ApiProperty({ type: ProgressFiguresResponse }) progress: ProgressFiguresResponse;
  @ApiProperty({ type: [UnitOverdueResponse] }) overdueByUnit: UnitOverdueResponse[];
}

export class LearnerReportRowResponse {
  @ApiProperty() userId: string;
  @ApiProperty() username: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) branchId: string | null;
  @ApiProperty({ type: String, nullable: true }) branch: string | null;
  @ApiProperty({ type: String, nullable: true }) unitId: string | null;
  @ApiProperty({ type: String, nullable: true }) unit: string | null;
  @ApiProperty() requiredDone: number;
  @ApiProperty() requiredTotal: number;
  @ApiProperty() creditHours: number;
  @ApiProperty({ description: 'completions made up (补学) after their due date' }) madeUpCount: number;
  @ApiProperty() completed: boolean;
  @ApiProperty({ type: Date, nullable: true }) completedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) lastActivityAt: Date | null;
}

export class LearnerReportPageResponse extends PageResponse {
  @ApiProperty({ type: [LearnerReportRowResponse] }) items: LearnerReportRowResponse[];
}

export class LearnerBehindResponse {
  @ApiProperty() userId: string;
  @ApiProperty() username: string;
  @ApiProperty() name: string;
  @ApiProperty() requiredDone: number;
}

export class RankedBranchResponse extends BranchRateResponse {
  @ApiProperty({ description: 'equal rates share a rank' }) rank: number;
  @ApiProperty({ type: [LearnerBehindResponse], description: 'learners who have not completed, the furthest behind first' }) behind: LearnerBehindResponse[];
}

export class UnitStandingResponse {
  @ApiProperty() rank: number;
  @ApiProperty({ description: 'units ranked' }) of: number;
  @ApiProperty() rate: number;
  @ApiProperty({ description: 'all units together' }) overallRate: number;
}

export class BranchRankingResponse extends PageResponse {
  @ApiProperty() courseId: string;
  @ApiProperty(SOURCE) source: 'live' | 'snapshot';
  @ApiProperty({ type: String, nullable: true }) unitId: string | null;
  @ApiProperty({ type: UnitStandingResponse, nullable: true, description: 'the unit among the units, as aggregates only' }) unitStanding: UnitStandingResponse | null;
  @ApiProperty({ description: 'false when every branch has the same rate: the list is then not a ranking' }) ranked: boolean;
  @ApiProperty({ type: [RankedBranchResponse] }) items: RankedBranchResponse[];
}
