import { Module } from '@nestjs/common';
import { NormsController } from './norms.controller';
import { NormsRepository } from './norms.repository';
import { NormsService } from './norms.service';

/** The work norms (一规): which branch activities are required, how often, and what their records hold. */
@Module({
  controllers: [NormsController],
  providers: [NormsRepository, NormsService],
  exports: [NormsService],
})
export class NormsModule {}
