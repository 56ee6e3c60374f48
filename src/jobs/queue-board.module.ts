import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { QueueBoardController, QueueBoardSessions } from './queue-board';

/** The admins' view of the queues (API process only; see mountQueueBoard in app.setup.ts). */
@Module({ imports: [UsersModule], controllers: [QueueBoardController], providers: [QueueBoardSessions], exports: [QueueBoardSessions] })
export class QueueBoardModule {}
