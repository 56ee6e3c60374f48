import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';
import { ENROLLMENT_SOURCES, type EnrollmentSource } from '../enrollment.entity';

export class EnrollResultResponse {
  @ApiProperty({ description: 'newly enrolled by this request (repeating changes nothing)' }) enrolled: number;
  @ApiProperty({ description: 'enrolled in the course now' }) total: number;
}

export class EnrolledUserResponse {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true, description: 'the branch’s name' }) branch: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the unit’s name' }) unit: string | null;
}

export class EnrollmentProgressResponse {
  @ApiProperty() requiredDone: number;
  @ApiProperty() requiredTotal: number;
  @ApiProperty() creditHours: number;
  @ApiProperty() completed: boolean;
}

export class EnrollmentResponse {
  @ApiProperty({ type: EnrolledUserResponse }) user: EnrolledUserResponse;
  @ApiProperty({ enum: ['active', 'withdrawn'] }) status: 'active' | 'withdrawn';
  @ApiProperty({ enum: ENROLLMENT_SOURCES }) source: EnrollmentSource;
  @ApiProperty() enrolledAt: Date;
  @ApiProperty({ type: Date, nullable: true }) withdrawnAt: Date | null;
  @ApiProperty({ type: EnrollmentProgressResponse, nullable: true }) progress: EnrollmentProgressResponse | null;
}

export class EnrollmentPageResponse extends PageResponse {
  @ApiProperty({ type: [EnrollmentResponse] }) items: EnrollmentResponse[];
}
