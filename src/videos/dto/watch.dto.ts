import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, Validate, ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

@ValidatorConstraint({ name: 'notBeforeFrom' })
class NotBeforeFrom implements ValidatorConstraintInterface {
  validate(to: number, args: ValidationArguments): boolean {
    return typeof to === 'number' && to >= (args.object as WatchReportDto).from;
  }
  defaultMessage(): string {
    return 'to must not be before from';
  }
}

/** A span of the video just watched, in seconds of the video's own timeline. */
export class WatchReportDto {
  @ApiProperty({ example: 30 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(24 * 3600)
  from: number;

  @ApiProperty({ example: 45 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(24 * 3600)
  @Validate(NotBeforeFrom)
  to: number;

  @ApiPropertyOptional({ description: 'the player instance (one per page load); defaults to the signed-in session' })
  @IsOptional()
  @IsString()
  @Matches(/^[\w-]{1,64}$/, { message: 'deviceId must be 1-64 letters, digits, _ or -' })
  deviceId?: string;
}

export class SignedStreamQuery {
  @IsOptional() @IsString() u?: string;
  @IsOptional() @IsString() e?: string;
  @IsOptional() @IsString() s?: string;
}

export class CheckpointAnswerDto {
  @ApiProperty({ description: 'the index of the chosen option' })
  @IsInt()
  @Min(0)
  answer: number;
}
