import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';
import { REMINDER_KINDS, ReminderKind } from '../../jobs/reminder-job';
import { DELIVERY_STATUSES, DeliveryStatus } from '../reminder-delivery.entity';

export class ListDeliveriesQuery extends PaginationQuery {
  /** Default `failed`: what needs an admin's eye. */
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, default: 'failed' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ enum: REMINDER_KINDS })
  @IsOptional()
  @IsIn(REMINDER_KINDS)
  kind?: ReminderKind;
}
