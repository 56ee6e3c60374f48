import { DiscoveryService } from '@nestjs/core';

/** Marks the one method that handles a job name. Checked at worker start-up. */
export const JobHandler = DiscoveryService.createDecorator<string>();
