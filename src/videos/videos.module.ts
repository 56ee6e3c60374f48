import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ProgressModule } from '../progress/progress.module';
import { VideoFlushService } from './video-flush.service';
import { VideoPlanValidator } from './video-plan.validator';
import { VideoWatchService } from './video-watch.service';
import { SignedVideoController, VideosController } from './videos.controller';
import { VideosService } from './videos.service';
import { VideosCoursesRepository } from './videos-courses.repository';

@Module({
  imports: [CoursesModule, ProgressModule],
  controllers: [VideosController, SignedVideoController],
  providers: [VideosService, VideoWatchService, VideoFlushService, VideosCoursesRepository, VideoPlanValidator],
  exports: [VideosService, VideoFlushService],
})
export class VideosModule {}
