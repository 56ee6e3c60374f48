import { ApiProperty } from '@nestjs/swagger';
import { ACTIVITY_STATES, type ActivityState } from '../activity-progress.entity';

const ACTIVITY_TYPES = ['video', 'reading', 'quiz', 'discussion', 'session'];
const STANDINGS = ['completed', 'madeUp', 'open', 'notYetOpen', 'makeUp', 'closed', 'upcoming', 'absent', 'excused', 'ended'];

export class TodoItemResponse {
  @ApiProperty() activityId: string;
  @ApiProperty() courseId: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ACTIVITY_TYPES }) type: string;
  @ApiProperty({ description: 'the deadline; for an in-person session, its start' }) dueAt: Date;
  @ApiProperty({ type: Date, nullable: true, description: 'sessions: when they end' }) endsAt: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'sessions: where they are held' }) location: string | null;
  @ApiProperty({ enum: ['not_started', 'in_progress'] }) state: 'not_started' | 'in_progress';
  @ApiProperty() overdue: boolean;
  @ApiProperty() dueSoon: boolean;
}

export class CourseQuestionnaireResponse {
  @ApiProperty() surveyId: string;
  @ApiProperty() title: string;
  @ApiProperty() opensAt: Date;
  @ApiProperty() closesAt: Date;
  @ApiProperty() answered: boolean;
}

export class TodoCourseResponse {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['published', 'closed'] }) status: 'published' | 'closed';
  @ApiProperty() startsAt: Date;
  @ApiProperty() endsAt: Date;
  @ApiProperty() completed: boolean;
  @ApiProperty() requiredDone: number;
  @ApiProperty() requiredTotal: number;
  @ApiProperty() creditHours: number;
  @ApiProperty() requiredCreditHours: number;
  @ApiProperty() sessionsAttended: number;
  @ApiProperty({ description: 'in-person sessions the course holds; 0 when it has none' }) sessionsTotal: number;
  @ApiProperty() requiredSessions: number;
  @ApiProperty({ type: CourseQuestionnaireResponse, nullable: true, description: "the questionnaire to answer before the course's certificate is issued" })
  questionnaire: CourseQuestionnaireResponse | null;
}

export class TodoQuestionnaireResponse {
  @ApiProperty() surveyId: string;
  @ApiProperty() title: string;
  @ApiProperty() opensAt: Date;
  @ApiProperty() closesAt: Date;
  @ApiProperty() courseId: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty({ description: 'past its close: it still takes this learner’s first answer, for the certificate' }) late: boolean;
}

export class LearnerTodoResponse {
  @ApiProperty({ type: [TodoItemResponse], description: 'overdue first (the longest overdue first), then due soon (the nearest first)' })
  items: TodoItemResponse[];

  @ApiProperty({ type: [TodoCourseResponse], description: 'running courses first (the nearest end first), then closed ones' })
  courses: TodoCourseResponse[];

  @ApiProperty({
    type: [TodoQuestionnaireResponse],
    description: 'questionnaires required before a certificate, opened and not yet answered (running courses, and closed ones completed); the nearest close first',
  })
  questionnaires: TodoQuestionnaireResponse[];

  @ApiProperty({ description: 'where “due soon” ends' }) dueSoonUntil: Date;
}

export class CourseSummaryResponse {
  @ApiProperty() courseId: string;
  @ApiProperty() userId: string;
  @ApiProperty() completed: boolean;
  @ApiProperty({ type: Date, nullable: true }) completedAt: Date | null;
  @ApiProperty() requiredDone: number;
  @ApiProperty() requiredTotal: number;
  @ApiProperty() creditHours: number;
  @ApiProperty() requiredCreditHours: number;
  @ApiProperty() sessionsAttended: number;
  @ApiProperty() requiredSessions: number;
  @ApiProperty({ description: 'completions made up (补学) after their due date' }) madeUpCount: number;
  @ApiProperty({ type: Date, nullable: true }) lastActivityAt: Date | null;
}

export class ActivityStandingResponse {
  @ApiProperty({ enum: ACTIVITY_STATES }) state: ActivityState;
  @ApiProperty({ type: Date, nullable: true }) startedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) completedAt: Date | null;
  @ApiProperty({ description: '补学: completed after the due date, inside the make-up window' }) madeUp: boolean;
  @ApiProperty({ enum: STANDINGS }) standing: string;
  @ApiProperty({ type: Date, nullable: true, description: 'while standing is makeUp: the make-up deadline' }) makeUpUntil: Date | null;
  @ApiProperty({ type: Date, nullable: true, description: 'online work not done: the last moment it is taken; null for sessions' })
  closesAt: Date | null;
}

export class ActivityProgressResponse extends ActivityStandingResponse {
  @ApiProperty() id: string;
  @ApiProperty() percent: number;
}

export class CourseProgressResponse extends CourseSummaryResponse {
  @ApiProperty({ type: CourseQuestionnaireResponse, nullable: true, description: "the questionnaire to answer before the course's certificate is issued" })
  questionnaire: CourseQuestionnaireResponse | null;

  @ApiProperty({ type: [ActivityProgressResponse] }) activities: ActivityProgressResponse[];
}

export class RecordActivityResponse extends ActivityStandingResponse {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'the section’s title' }) section: string;
  @ApiProperty({ enum: ACTIVITY_TYPES }) type: string;
  @ApiProperty() title: string;
  @ApiProperty() required: boolean;
  @ApiProperty() creditHours: number;
  @ApiProperty({ type: Date, nullable: true }) dueAt: Date | null;
}

export class RecordUserResponse {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty() name: string;
}

export class RecordCourseResponse {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['draft', 'published', 'closed'] }) status: string;
  @ApiProperty() startsAt: Date;
  @ApiProperty() endsAt: Date;
}

export class RecordEnrollmentResponse {
  @ApiProperty({ enum: ['active', 'withdrawn'] }) status: string;
  @ApiProperty() enrolledAt: Date;
  @ApiProperty({ type: Date, nullable: true }) withdrawnAt: Date | null;
}

export class RecordCourseEntryResponse {
  @ApiProperty({ type: RecordCourseResponse }) course: RecordCourseResponse;
  @ApiProperty({ type: RecordEnrollmentResponse }) enrollment: RecordEnrollmentResponse;
  @ApiProperty({ type: CourseSummaryResponse, nullable: true }) summary: CourseSummaryResponse | null;
  @ApiProperty({ type: [RecordActivityResponse] }) activities: RecordActivityResponse[];
}

export class RecordCreditResponse {
  @ApiProperty() courseId: string;
  @ApiProperty({ type: String, nullable: true }) activityId: string | null;
  @ApiProperty() hours: number;
  @ApiProperty({ enum: ['online', 'offline'] }) source: 'online' | 'offline';
  @ApiProperty() reason: string;
  @ApiProperty() at: Date;
}

export class LearningRecordResponse {
  @ApiProperty({ type: RecordUserResponse }) user: RecordUserResponse;
  @ApiProperty({ type: [RecordCourseEntryResponse] }) courses: RecordCourseEntryResponse[];
  @ApiProperty({ type: [RecordCreditResponse], description: 'the 学时 ledger entries behind the totals, oldest first' }) credits: RecordCreditResponse[];
}
