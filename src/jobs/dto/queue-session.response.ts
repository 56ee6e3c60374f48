import { ApiProperty } from '@nestjs/swagger';

export class QueueSessionResponse {
  @ApiProperty({ description: 'the queue board, open in this browser until expiresAt' }) url: string;
  @ApiProperty() expiresAt: Date;
}
