import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';
import { FAILURE_REASONS, type FailureReason } from '../failure-reason';
import { REMINDER_KINDS, type ReminderKind } from '../../jobs/reminder-job';
import { DELIVERY_STATUSES } from '../reminder-delivery.entity';

/** A count for each reminder kind. */
export class ReminderKindCountsResponse implements Record<ReminderKind, number> {
  @ApiProperty() 'due-soon': number;
  @ApiProperty() overdue: number;
  @ApiProperty() 'session-tomorrow': number;
  @ApiProperty() digest: number;
  @ApiProperty() summary: number;
  @ApiProperty({ description: 'a plan item due this month, not yet recorded' }) 'plan-due': number;
  @ApiProperty({ description: 'a plan item whose month is over, without an accepted record' }) 'plan-overdue': number;
  @ApiProperty({ description: 'a handbook record returned by the unit' }) 'record-returned': number;
  @ApiProperty({ description: 'the monthly summary to a unit admin of branches behind the norms' }) 'branch-summary': number;
  @ApiProperty({ description: 'a questionnaire opened for the person' }) 'survey-open': number;
  @ApiProperty({ description: 'a questionnaire closing within two days, not yet answered' }) 'survey-closing': number;
}

/** Failed deliveries by the reason an admin can act on. */
export class FailureReasonCountsResponse implements Record<FailureReason, number> {
  @ApiProperty() invalid_address: number;
  @ApiProperty() rejected: number;
  @ApiProperty() unreachable: number;
  @ApiProperty() other: number;
}

export class ReminderRunRequestedResponse {
  @ApiProperty({ description: 'follow the run at GET .../reminders/run/:jobId' }) jobId: string;
}

export class ReminderRunResponse {
  @ApiProperty() jobId: string;
  @ApiProperty({ enum: ['waiting', 'running', 'done', 'failed'] }) state: 'waiting' | 'running' | 'done' | 'failed';
  @ApiProperty({ description: 'reminders queued' }) queued: number;
  @ApiProperty({ type: ReminderKindCountsResponse }) byKind: ReminderKindCountsResponse;
  @ApiProperty({ description: 'distinct people reminded' }) people: number;
  @ApiProperty({ type: ReminderKindCountsResponse }) peopleByKind: ReminderKindCountsResponse;
  @ApiProperty({ description: 'set while quiet hours hold the mails back' }) delayMs: number;
}

export class DeliverySummaryResponse {
  @ApiProperty() sent: number;
  @ApiProperty({ description: 'no mail address: the in-app notification only' }) inAppOnly: number;
  @ApiProperty() skipped: number;
  @ApiProperty() waiting: number;
  @ApiProperty() failed: number;
  @ApiProperty({ type: FailureReasonCountsResponse }) failedByReason: FailureReasonCountsResponse;
}

export class DeliveryUserResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class DeliveryCourseResponse {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
}

export class DeliveryResponse {
  @ApiProperty() id: string;
  @ApiProperty({ enum: REMINDER_KINDS }) kind: ReminderKind;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty({ type: DeliveryUserResponse }) user: DeliveryUserResponse;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: DeliveryCourseResponse }) course: DeliveryCourseResponse;
  @ApiProperty({ description: 'what the reminder is about (an activity, a session, the course)' }) subjectId: string;
  @ApiProperty() period: string;
  @ApiProperty() mailAttempts: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ enum: FAILURE_REASONS, nullable: true, description: 'the category of lastError an admin can act on' }) failureReason: FailureReason | null;
  @ApiProperty({ type: Date, nullable: true }) sentAt: Date | null;
  @ApiProperty() updatedAt: Date;
}

export class DeliveryPageResponse extends PageResponse {
  @ApiProperty({ type: [DeliveryResponse] }) items: DeliveryResponse[];
}
