import { ApiExtraModels, ApiProperty, getSchemaPath, OmitType, PickType } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';
import { ACTIVITY_TYPES, type ActivityType, COURSE_STATUSES, type CourseStatus, MAKE_UP_POLICIES, type MakeUpPolicy } from '../../access/course-rows';
import {
  ACTIVITY_SETTINGS_RESPONSES,
  type DiscussionSettingsResponse,
  type QuizSettingsResponse,
  type ReadingSettingsResponse,
  type SessionSettingsResponse,
  type VideoSettingsResponse,
} from './activity-settings.response';

export class CourseInstructorResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class CourseResponse {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ enum: COURSE_STATUSES }) status: CourseStatus;
  @ApiProperty() startsAt: Date;
  @ApiProperty() endsAt: Date;
  @ApiProperty() graceDays: number;
  @ApiProperty({ description: 'endsAt plus the grace days: when the course closes by itself' }) closesAt: Date;
  @ApiProperty({ enum: MAKE_UP_POLICIES, description: '补学: none, until the course closes, or until makeUpUntil' }) makeUpPolicy: MakeUpPolicy;
  @ApiProperty({ type: Date, nullable: true }) makeUpUntil: Date | null;
  @ApiProperty() requiredCreditHours: number;
  @ApiProperty() requiredSessions: number;
  @ApiProperty({ type: Date, nullable: true }) publishedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) closedAt: Date | null;
  @ApiProperty({ type: [CourseInstructorResponse] }) instructors: CourseInstructorResponse[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class CoursePageResponse extends PageResponse {
  @ApiProperty({ type: [CourseResponse] }) items: CourseResponse[];
}

export class PlanProblemResponse {
  @ApiProperty({ type: String, nullable: true, description: 'the activity, or null for the course itself' }) activityId: string | null;
  @ApiProperty() field: string;
  @ApiProperty() message: string;
}

export class PublishedCourseResponse extends CourseResponse {
  @ApiProperty({ type: [PlanProblemResponse], description: 'what is allowed but worth a second look' }) warnings: PlanProblemResponse[];
}

export class ClosedCourseResponse extends CourseResponse {
  @ApiProperty({ description: 'the certificate compile that closing started (GET .../certificates/compile/:jobId)' }) certificatesJobId: string;
}

@ApiExtraModels(...ACTIVITY_SETTINGS_RESPONSES)
export class ActivityResponse {
  @ApiProperty() id: string;
  @ApiProperty() courseId: string;
  @ApiProperty() sectionId: string;
  @ApiProperty({ enum: ACTIVITY_TYPES }) type: ActivityType;
  @ApiProperty() title: string;
  @ApiProperty() required: boolean;
  @ApiProperty() creditHours: number;
  @ApiProperty({ type: Date, nullable: true }) opensAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) dueAt: Date | null;
  @ApiProperty() position: number;
  @ApiProperty({ type: Date, nullable: true }) archivedAt: Date | null;
  @ApiProperty({
    // Explicit: compilers disagree on the design type of a union of classes (Object or Function).
    type: Object,
    oneOf: ACTIVITY_SETTINGS_RESPONSES.map((settings) => ({ $ref: getSchemaPath(settings) })),
    description: 'the settings of the activity’s type (see `type`)',
  })
  settings: VideoSettingsResponse | ReadingSettingsResponse | QuizSettingsResponse | DiscussionSettingsResponse | SessionSettingsResponse;
}

export class SectionResponse {
  @ApiProperty() id: string;
  @ApiProperty() courseId: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty() position: number;
}

export class CourseDetailSectionResponse extends OmitType(SectionResponse, ['courseId'] as const) {
  @ApiProperty({ type: [ActivityResponse] }) activities: ActivityResponse[];
}

export class CourseDetailResponse extends CourseResponse {
  @ApiProperty({ enum: ['admin', 'unit-admin', 'instructor', 'learner'], description: 'how the caller sees the course' })
  role: 'admin' | 'unit-admin' | 'instructor' | 'learner';

  @ApiProperty({ type: [CourseDetailSectionResponse] }) sections: CourseDetailSectionResponse[];
}

export class ScheduleItemResponse extends PickType(ActivityResponse, ['id', 'type', 'title', 'required', 'creditHours', 'opensAt', 'dueAt'] as const) {
  @ApiProperty({ type: Date, nullable: true, description: 'sessions' }) startsAt: Date | null;
  @ApiProperty({ type: Date, nullable: true, description: 'sessions' }) endsAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) location: string | null;
  @ApiProperty({ type: String, nullable: true }) speaker: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'YYYY-MM of its date (Beijing time), null when it has none' }) month: string | null;
  @ApiProperty({ enum: ['not_started', 'in_progress', 'completed'], nullable: true, description: 'the caller’s, when they are a learner' })
  state: 'not_started' | 'in_progress' | 'completed' | null;

  @ApiProperty({ type: Date, nullable: true }) completedAt: Date | null;
  @ApiProperty() overdue: boolean;
}

export class ScheduleCourseResponse {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() startsAt: Date;
  @ApiProperty() endsAt: Date;
  @ApiProperty({ enum: COURSE_STATUSES }) status: CourseStatus;
}

export class ScheduleSectionResponse {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty() position: number;
  @ApiProperty({ type: [ScheduleItemResponse] }) items: ScheduleItemResponse[];
}

export class ScheduleMonthResponse {
  @ApiProperty({ description: 'YYYY-MM' }) month: string;
  @ApiProperty({ type: [ScheduleItemResponse] }) items: ScheduleItemResponse[];
}

export class ScheduleResponse {
  @ApiProperty({ type: ScheduleCourseResponse }) course: ScheduleCourseResponse;
  @ApiProperty({ type: [ScheduleSectionResponse] }) sections: ScheduleSectionResponse[];
  @ApiProperty({ type: [ScheduleMonthResponse] }) months: ScheduleMonthResponse[];
}

export class CalendarFeedResponse {
  @ApiProperty({ description: 'the secret address a calendar app subscribes to' }) url: string;
  @ApiProperty() createdAt: Date;
}
