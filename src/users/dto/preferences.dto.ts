import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class UpdatePreferencesDto {
  /** The weekly mail: the learning digest (学习周报) for secretaries, the course summary for admins. */
  @ApiProperty()
  @IsBoolean()
  weeklyDigest: boolean;
}
