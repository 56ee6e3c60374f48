import { Module } from '@nestjs/common';
import { QueueBoardController, QueueBoardSessions } from './queue-board';

/** The admins' view of the queues (API process only; see mountQueueBoard in app.setup.ts). */
@Module({ controllers: [QueueBoardController], providers: [QueueBoardSessions], exports: [QueueBoardSessions] })
export class QueueBoardModule {}
