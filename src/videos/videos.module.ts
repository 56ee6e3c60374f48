import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ProgressModule } from '../progress/progress.module';
import { VideoFilesRepository } from './video-files.repository';
import { VideoFlushService } from './video-flush.service';
import { VideoProgressRepository } from './video-progress.repository';
import { VideoPlanValidator } from './video-plan.validator';
import { VideoWatchService } from './video-watch.service';
import { SignedVideoController, VideosController } from './videos.controller';
import { VideosService } from './videos.service';

@Module({
  imports: [CoursesModule, ProgressModule],
  controllers: [VideosController, SignedVideoController],
  providers: [VideosService, VideoWatchService, VideoFlushService, VideoFilesRepository, VideoProgressRepository, VideoPlanValidator],
  exports: [VideosService, VideoFlushService, VideoFilesRepository, VideoProgressRepository],
})
export class VideosModule {}
