import {
  BadRequestException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromFile } from 'file-type';
import { createHmac, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AuthUser } from '../common/auth-user';
import { openUpload, uploadFailure } from '../common/multipart';
import { safeEqual } from '../common/safe-equal';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Activity } from '../courses/activity.entity';
import type { VideoSettings } from '../access/activity-settings';
import { CourseAccessService } from '../access/course-access.service';
import { ActivitiesRepository } from '../courses/activities.repository';
import { Transactions } from '../database/transactions';
import { assertOpen } from '../access/course-open';
import { ByteRange, StorageDriver } from '../storage/storage';
import { readVideoDuration } from './video-duration';
import { VideoFile } from './video-file.entity';
import { VideoFilesRepository } from './video-files.repository';
import { VideoWatchService } from './video-watch.service';

/**
 * What browsers play with a plain <video> tag, by the type sniffed from the bytes: the extension it is stored
 * under, the type it is served as, and how its length is read. Anything else is refused whatever its name says.
 * A phone's MOV is QuickTime, the format MP4 grew from: browsers that play it (H.264 inside) do so as
 * video/mp4, and several refuse the video/quicktime type, so it is served as MP4.
 */
const PLAYABLE: Record<string, { extension: string; mimeType: string; container: 'isobmff' | 'matroska' }> = {
  'video/mp4': { extension: 'mp4', mimeType: 'video/mp4', container: 'isobmff' },
  'video/x-m4v': { extension: 'mp4', mimeType: 'video/mp4', container: 'isobmff' },
  'video/quicktime': { extension: 'mov', mimeType: 'video/mp4', container: 'isobmff' },
  'video/webm': { extension: 'webm', mimeType: 'video/webm', container: 'matroska' },
};

export interface VideoUploadView {
  activityId: string;
  video: { id: string; mimeType: string; sizeBytes: number; durationSeconds: number; originalName: string; updatedAt: Date };
  /** Set when a video was replaced: what happened to learners' progress. */
  replacement: { previousDurationSeconds: number; progressKept: boolean; note: string } | null;
}

export interface VideoStream {
  status: 200 | 206;
  headers: Record<string, string>;
  body: Readable;
}

/** Video files of video lessons: streaming upload, sniffed type, duration from the file, ranged playback. */
@Injectable()
export class VideosService {
  private readonly logger = new Logger(VideosService.name);

  constructor(
    private readonly files: VideoFilesRepository,
    private readonly activities: ActivitiesRepository,
    private readonly transactions: Transactions,
    private readonly access: CourseAccessService,
    private readonly storage: StorageDriver,
    private readonly watch: VideoWatchService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Streams the upload to a temporary file (never into memory), checks its bytes and reads its duration,
   * then hands it to storage. A refused or broken upload leaves nothing behind.
   */
  async upload(activityId: string, request: FastifyRequest, actor: AuthUser): Promise<VideoUploadView> {
    const { course, activity } = await this.access.activityEdit(activityId, actor);
    assertOpen(course);
    if (activity.type !== 'video') throw new BadRequestException({ message: '该学习任务不是视频课', code: 'NOT_A_VIDEO' });
    const part = await openUpload(request, 'file', this.config.http.uploadLimitBytes);

    const temp = join(tmpdir(), `bst-upload-${randomUUID()}`);
    try {
      try {
        await pipeline(part.file, createWriteStream(temp));
      } catch (error) {
        throw uploadFailure(error, this.config.http.uploadLimitBytes);
      }
      if (part.file.truncated) {
        throw new PayloadTooLargeException({ message: `视频不能超过 ${formatBytes(this.config.http.uploadLimitBytes)}`, code: 'FILE_TOO_LARGE' });
      }
      return await this.ingest(activity, temp, part.filename, actor.id);
    } finally {
      await rm(temp, { force: true });
    }
  }

  /**
   * A video file from the curriculum folder (content import): stored unless the activity already has this
   * very file (same name and size), so re-running the import changes nothing.
   */
  async importFile(activity: Activity, sourcePath: string): Promise<'stored' | 'unchanged'> {
    const name = basename(sourcePath);
    const current = await this.files.findByActivity(activity.id);
    if (current && current.originalName === name && current.sizeBytes === (await stat(sourcePath)).size) return 'unchanged';
    const temp = join(tmpdir(), `bst-import-${randomUUID()}`);
    await copyFile(sourcePath, temp);
    await this.ingest(activity, temp, name, null);
    return 'stored';
  }

  /** Checks a local file's bytes, reads its duration, stores it and attaches it; the file is gone afterwards. */
  private async ingest(activity: Activity, path: string, originalName: string, uploadedBy: string | null): Promise<VideoUploadView> {
    try {
      const type = await fileTypeFromFile(path);
      const playable = type ? PLAYABLE[type.mime] : undefined;
      if (!playable) {
        throw new UnsupportedMediaTypeException({ message: '只接受 MP4、MOV 或 WebM 视频，该文件不是可播放的视频', code: 'NOT_A_PLAYABLE_VIDEO' });
      }
      const duration = await readVideoDuration(path, playable.container);
      if (duration === null) {
        throw new BadRequestException({ message: '无法读取视频时长：文件不完整或已损坏，请重新导出后上传', code: 'VIDEO_UNREADABLE' });
      }
      const key = `videos/${activity.id}/${randomUUID()}.${playable.extension}`;
      const { size } = await this.storage.putFile(key, path, playable.mimeType);
      return await this.attach(activity, { key, mimeType: playable.mimeType, size, duration, originalName: originalName || `video.${playable.extension}` }, uploadedBy);
    } finally {
      await rm(path, { force: true });
    }
  }

  /** Records a stored file as the activity's video (also used by the content import for its sample videos). */
  async attach(
    activity: Activity,
    file: { key: string; mimeType: string; size: number; duration: number; originalName: string },
    uploadedBy: string | null,
  ): Promise<VideoUploadView> {
    const durationSeconds = Math.round(file.duration * 1000) / 1000;
    const { saved, previous } = await this.transactions.run(async (manager) => {
      // Two uploads to one lesson at once take turns on the lesson's row (it exists, so no gap lock): the later
      // one replaces the earlier, instead of both inserting the lesson's one file row.
      await this.activities.lock(activity.id, manager);
      const previous = await this.files.findByActivity(activity.id, manager);
      const values = { storageKey: file.key, mimeType: file.mimeType, sizeBytes: file.size, durationSeconds, originalName: file.originalName.slice(0, 255), uploadedBy };
      // The lesson's length is the file's, whatever was typed before.
      const settings = { ...(activity.settings as VideoSettings), durationSeconds: Math.max(1, Math.round(durationSeconds)) };
      await this.activities.update(activity.id, { settings }, manager);
      return { saved: await this.files.save(manager, activity.id, previous, values), previous };
    });
    if (previous && previous.storageKey !== file.key) {
      await this.storage.delete(previous.storageKey).catch((error: Error) => this.logger.warn(`could not delete ${previous.storageKey}: ${error.message}`));
    }
    await this.watch.forgetContexts(activity.id);
    const sameLength = previous ? Math.abs(previous.durationSeconds - durationSeconds) < 1 : true;
    return {
      activityId: activity.id,
      video: { id: saved.id, mimeType: saved.mimeType, sizeBytes: saved.sizeBytes, durationSeconds: saved.durationSeconds, originalName: saved.originalName, updatedAt: saved.updatedAt },
      replacement: previous
        ? {
            previousDurationSeconds: previous.durationSeconds,
            progressKept: sameLength,
            note: sameLength
              ? '新视频时长相同，学员的观看进度全部保留'
              : '新视频时长不同：已观看的区间按新时长计算，超出新时长的部分不再计入；已完成的学员保持完成',
          }
        : null,
    };
  }

  /** Ranged playback for enrolled learners, the course's instructors and admins. */
  async streamFor(activityId: string, actor: AuthUser, rangeHeader: string | undefined): Promise<VideoStream> {
    await this.access.activityView(activityId, actor);
    const stream = await this.stream(activityId, rangeHeader);
    if (actor.role === 'secretary') await this.watch.startPlayback(activityId, actor.id);
    return stream;
  }

  /** A short-lived URL a plain <video> tag can play without a bearer header. */
  async signedUrl(activityId: string, actor: AuthUser): Promise<{ url: string; expiresAt: Date }> {
    await this.access.activityView(activityId, actor);
    await this.videoOf(activityId);
    const expires = Math.floor(Date.now() / 1000) + this.config.video.urlTtlSeconds;
    const signature = this.sign(activityId, actor.id, expires);
    return {
      url: `/api/videos/${activityId}/stream?u=${actor.id}&e=${expires}&s=${signature}`,
      expiresAt: new Date(expires * 1000),
    };
  }

  async streamSigned(activityId: string, query: { u?: string; e?: string; s?: string }, rangeHeader: string | undefined): Promise<VideoStream> {
    const expires = Number(query.e);
    const valid =
      query.u && query.s && Number.isInteger(expires) && expires * 1000 > Date.now() && safeEqual(query.s, this.sign(activityId, query.u, expires));
    if (!valid) throw new NotFoundException({ message: '视频链接已失效，请刷新页面', code: 'VIDEO_LINK_INVALID' });
    const stream = await this.stream(activityId, rangeHeader);
    // Watching counts from here: the signed URL was issued to this user after the access check. (For an
    // instructor's link the mark is never read: only learners report.)
    await this.watch.startPlayback(activityId, query.u!);
    return stream;
  }

  private async stream(activityId: string, rangeHeader: string | undefined): Promise<VideoStream> {
    const video = await this.videoOf(activityId);
    const size = video.sizeBytes;
    const headers: Record<string, string> = {
      'accept-ranges': 'bytes',
      'content-type': video.mimeType,
      'cache-control': 'private, max-age=3600',
      'last-modified': video.updatedAt.toUTCString(),
    };
    const range = parseRange(rangeHeader, size);
    if (range === 'unsatisfiable') {
      throw new HttpException(
        { message: '视频读取位置超出范围，请刷新页面', code: 'RANGE_NOT_SATISFIABLE', contentRange: `bytes */${size}` },
        416,
      );
    }
    if (!range) {
      return { status: 200, headers: { ...headers, 'content-length': String(size) }, body: await this.storage.read(video.storageKey) };
    }
    return {
      status: 206,
      headers: { ...headers, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${size}` },
      body: await this.storage.read(video.storageKey, range),
    };
  }

  private async videoOf(activityId: string): Promise<VideoFile> {
    const video = await this.files.findByActivity(activityId);
    if (!video) throw new NotFoundException({ message: '该视频课尚未上传视频', code: 'VIDEO_NOT_UPLOADED' });
    return video;
  }

  private sign(activityId: string, userId: string, expires: number): string {
    return createHmac('sha256', `video-url:${this.config.auth.jwtSecret}`).update(`${activityId}.${userId}.${expires}`).digest('base64url');
  }
}

/**
 * One byte range of `bytes=a-b`, `bytes=a-` or `bytes=-n` (RFC 9110). Several ranges are served as the
 * whole file, which the RFC allows; a range starting past the end is unsatisfiable.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return header.includes(',') || !header.startsWith('bytes=') ? null : 'unsatisfiable';
  const [, first, last] = match;
  if (first === '' && last === '') return 'unsatisfiable';
  if (first === '') {
    const length = Number(last);
    if (length === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.round(bytes / 1024 / 1024)} MB`;
}
