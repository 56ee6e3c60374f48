import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';

/**
 * waiting: submitted and not yet reviewed (resubmissions included); resubmitted: the waiting ones that were
 * returned before; returned: sent back, waiting for the learner.
 */
export const INBOX_STATUSES = ['waiting', 'resubmitted', 'returned'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

export class ReviewInboxQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: INBOX_STATUSES, default: 'waiting' })
  @IsOptional()
  @IsIn(INBOX_STATUSES)
  status: InboxStatus = 'waiting';

  @ApiPropertyOptional({ description: 'only this course (one the caller reviews; others give an empty list)' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,18}$/)
  courseId?: string;
}
