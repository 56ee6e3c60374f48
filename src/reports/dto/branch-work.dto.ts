import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';
import { WorkYear } from '../../norms/dto/norms.dto';
import { BRANCH_WORK_SORTS, type BranchWorkSort } from '../branch-work.service';

const ID = /^[1-9]\d{0,18}$/;

export class BranchWorkYearQuery {
  @ApiPropertyOptional({ minimum: 2000, maximum: 2100, description: 'the Beijing year (default: this year)' })
  @WorkYear()
  year?: number;
}

export class BranchWorkQuery extends PaginationQuery {
  @ApiPropertyOptional({ minimum: 2000, maximum: 2100, description: 'the Beijing year (default: this year)' })
  @WorkYear()
  year?: number;

  @ApiPropertyOptional({ description: 'only this unit (a unit admin: their own, the default; another unit answers 404)' })
  @IsOptional()
  @Matches(ID)
  unitId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only branches with an overdue record' })
  @IsOptional()
  @IsIn(['true', 'false'])
  behind?: 'true' | 'false';

  @ApiPropertyOptional({ enum: BRANCH_WORK_SORTS, default: 'overdue', description: 'overdue: most overdue first; name: by unit and branch name' })
  @IsOptional()
  @IsIn(BRANCH_WORK_SORTS)
  sort?: BranchWorkSort;
}

export class BranchWorkExportQuery {
  @ApiPropertyOptional({ minimum: 2000, maximum: 2100 })
  @WorkYear()
  year?: number;

  @ApiPropertyOptional() @IsOptional() @Matches(ID) unitId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  behind?: 'true' | 'false';

  @ApiPropertyOptional({ enum: BRANCH_WORK_SORTS, default: 'overdue' })
  @IsOptional()
  @IsIn(BRANCH_WORK_SORTS)
  sort?: BranchWorkSort;
}
