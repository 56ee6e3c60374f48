import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** A malformed body is a 400 naming the field, before any password is checked. */
export class LoginDto {
  @ApiProperty({ example: '20230001', description: 'username (工号)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  username: string;

  @ApiProperty({ example: 'secret123' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password: string;
}
