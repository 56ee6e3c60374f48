import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';

/** Answers by question index: an option id (single), option ids (multiple), true/false, or text. */
export class AnswersDto {
  @ApiPropertyOptional({ example: { '0': 1, '1': [0, 2], '2': true, '3': '三会一课' } })
  @IsOptional()
  @IsObject()
  answers?: Record<string, unknown>;
}
