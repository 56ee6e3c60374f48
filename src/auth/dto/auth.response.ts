import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../common/roles';

export class SignedInUserResponse {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ description: 'the user must choose a new password before anything else' }) mustChangePassword: boolean;
}

export class LoginResponse {
  @ApiProperty({ description: 'the bearer token' }) accessToken: string;
  @ApiProperty({ description: 'seconds until the token expires' }) expiresIn: number;
  @ApiProperty({ type: SignedInUserResponse }) user: SignedInUserResponse;
}
