import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AuthUser } from '../common/auth-user';
import type { AfterCommitEvents } from '../events/event-map';
import { OnEvent } from '../events/on-event.decorator';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { VideoSettings } from '../access/activity-settings';
import { CourseAccessService } from '../access/course-access.service';
import { ActivitiesRepository } from '../courses/activities.repository';
import { ProgressService } from '../progress/progress.service';
import { REDIS } from '../redis/redis';
import { VideoFilesRepository } from './video-files.repository';
import { VideoProgressRepository } from './video-progress.repository';
import { PLAYBACK_START_SCRIPT, WATCH_SCRIPT } from './watch-script';
import { isWatched, videoLength, videoOutcome, type VideoLength } from './video-completion';
import { inputException } from '../common/validation-errors';
import type { ActivityOutcome } from '../progress/activity-outcome';

/** A device that stopped reporting this long ago no longer holds the learner's playback. */
export const DEVICE_IDLE_MS = 45_000;
/**
 * A playback start the server saw (the video fetched, or the player's play event) holds while reports keep
 * coming; this long without one ends it, and the player's next play event starts anew.
 */
const PLAYBACK_IDLE_SECONDS = 300;
/** Real time beyond this between two reports does not buy more seconds (a paused tab is not watching). */
const MAX_REPORT_WINDOW_SECONDS = 120;
/** Network jitter and player timer drift. */
const SLACK_SECONDS = 2;
const WATCH_TTL_SECONDS = 14 * 24 * 3600;
/** How long the hot path trusts its once-checked facts (enrolment, duration) before asking MySQL again. */
const CONTEXT_TTL_SECONDS = 300;
export const DIRTY_KEY = 'vw:dirty';

export type WatchStatus = 'ok' | 'too_fast' | 'other_device' | 'not_started' | 'outside' | 'checkpoint';

export interface WatchView {
  /** Whether the report was taken (a retried span that adds nothing is taken too). */
  accepted: boolean;
  /**
   * Why a report was not, or not wholly, counted: too_fast (the part played faster than real time allows
   * since the playback started was cut off; `accepted` says whether anything before it counted), outside,
   * or checkpoint (answer it first).
   */
  reason: Exclude<WatchStatus, 'ok' | 'other_device' | 'not_started'> | null;
  /** The checkpoint question the learner must answer before watching on counts (no answer included). */
  checkpoint: { index: number; atSeconds: number; prompt: string; options: string[] } | null;
  watchedSeconds: number;
  percent: number;
  completed: boolean;
  /** Where to resume. */
  position: number;
  durationSeconds: number;
}

interface WatchContext {
  courseId: string;
  duration: number;
  threshold: number;
  /** Checkpoint times in seconds, by index. */
  checkpoints: number[];
}

type ScriptResult = [WatchStatus | 'nocontext', string, string, string, string, string, string, string, string];

type WatchRedis = Redis & {
  watchReport(k1: string, k2: string, k3: string, k4: string, k5: string, ...args: (string | number)[]): Promise<ScriptResult>;
  playbackStart(key: string, idleSeconds: number): Promise<string>;
};

/** Distinct seconds covered by sorted, disjoint intervals, counted inside the video only. */
export function watchedSeconds(intervals: [number, number][], duration: number): number {
  return intervals.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(duration, b) - Math.max(0, a)), 0);
}

const lengthOf = (context: WatchContext): VideoLength => ({ durationSeconds: context.duration, thresholdSeconds: context.threshold });

export const watchKey = (activityId: string, userId: string) => `vw:${activityId}:${userId}`;
const learnerKey = (userId: string) => `vl:${userId}`;
const contextKey = (activityId: string, userId: string) => `vw:ctx:${activityId}:${userId}`;
export const playbackKey = (activityId: string, userId: string) => `vp:${activityId}:${userId}`;

/**
 * Video watching: the union of really-watched intervals per learner and video, kept in Redis on the hot
 * path (one script call per report once the context is cached) and written to MySQL by the flush job.
 * The progress engine hears of the first watched seconds and of completion.
 */
@Injectable()
export class VideoWatchService {
  private readonly redis: WatchRedis;

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly files: VideoFilesRepository,
    private readonly watchStates: VideoProgressRepository,
    private readonly activities: ActivitiesRepository,
    private readonly access: CourseAccessService,
    private readonly progress: ProgressService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    if (!('watchReport' in redis)) redis.defineCommand('watchReport', { numberOfKeys: 5, lua: WATCH_SCRIPT });
    if (!('playbackStart' in redis)) redis.defineCommand('playbackStart', { numberOfKeys: 1, lua: PLAYBACK_START_SCRIPT });
    this.redis = redis as WatchRedis;
  }

  // The cached context says "may report" and what the video asks; a withdrawal, a closing or an edit must
  // take that back at once, not when the context expires.

  @OnEvent('course.learnersLeft')
  async learnersLeft({ courseId, userIds }: AfterCommitEvents['course.learnersLeft']): Promise<void> {
    const videos = await this.videoActivityIds(courseId);
    const keys = videos.flatMap((activityId) => userIds.map((userId) => contextKey(activityId, userId)));
    if (keys.length) await this.redis.del(...keys);
  }

  @OnEvent('course.closed')
  async courseClosed({ courseId }: AfterCommitEvents['course.closed']): Promise<void> {
    for (const activityId of await this.videoActivityIds(courseId)) await this.forgetContexts(activityId);
  }

  /** A new period or 补学 rule moves when the lessons stop taking reports (the contexts expire then). */
  @OnEvent('course.changed')
  async courseChanged({ courseId }: AfterCommitEvents['course.changed']): Promise<void> {
    for (const activityId of await this.videoActivityIds(courseId)) await this.forgetContexts(activityId);
  }

  /** An edited lesson (completion percent, checkpoints, archived) is read again on the next report. */
  @OnEvent('activity.changed')
  async activityChanged({ activityId, type }: AfterCommitEvents['activity.changed']): Promise<void> {
    if (type === 'video') await this.forgetContexts(activityId);
  }

  private videoActivityIds(courseId: string): Promise<string[]> {
    return this.activities.findIdsOfType(courseId, 'video');
  }

  async report(activityId: string, actor: AuthUser, span: { from: number; to: number }, device: string): Promise<WatchView> {
    if (span.to < span.from) throw inputException([{ field: 'to', rule: 'after', params: { field: 'from' }, message: '观看区间的结束位置不能早于开始位置' }], 'SPAN_REVERSED');
    // The hot path is one script call: the checked context lives in Redis; only a cold start asks MySQL.
    let result = await this.runScript(activityId, actor.id, span, device);
    if (result[0] === 'nocontext') {
      await this.context(activityId, actor);
      result = await this.runScript(activityId, actor.id, span, device);
    }
    const [status, watchedText, positionText, started, done, durationText, thresholdText, capText, countedText] = result;
    const context: WatchContext = { courseId: '', duration: Number(durationText), threshold: Number(thresholdText), checkpoints: [] };
    const watched = Number(watchedText);
    const counted = countedText === '1';
    // Most reports bring the engine no news: those skip the call (and its promise) altogether.
    const outcome = videoOutcome(watched, lengthOf(context));
    const news = done !== '1' && (outcome.kind === 'complete' || (counted && started !== '1' && watched > 0));
    let completed = done === '1' || (news && (await this.tellEngine(activityId, actor.id, outcome)));
    if (status === 'other_device') {
      throw new ConflictException({ message: '该账号正在另一台设备上观看视频，请先停止那边的播放', code: 'OTHER_DEVICE_PLAYING' });
    }
    if (status === 'not_started') {
      throw new ConflictException({ message: '尚未开始播放：请在页面上播放视频，观看时长从播放开始时计算', code: 'PLAYBACK_NOT_STARTED' });
    }
    completed ||= isWatched(watched, lengthOf(context));
    const view = this.view(context, watched, Number(positionText), completed, status as WatchStatus, counted);
    const cap = Number(capText);
    if (cap < context.duration && (status === 'checkpoint' || span.to >= cap)) view.checkpoint = await this.checkpointAt(activityId, cap);
    return view;
  }

  /** Answers a checkpoint question; a right answer lets the seconds after it count. */
  async answerCheckpoint(activityId: string, actor: AuthUser, index: number, answer: number): Promise<{ correct: boolean }> {
    await this.context(activityId, actor);
    const checkpoints = await this.checkpointsOf(activityId);
    const checkpoint = checkpoints[index];
    if (!checkpoint) throw new NotFoundException({ message: `该视频没有第 ${index + 1} 个检查题`, code: 'CHECKPOINT_NOT_FOUND' });
    const correct = checkpoint.answer === answer;
    if (correct) {
      // Kept in MySQL first (answers are rare), so a lost Redis key never asks the learner again.
      await this.watchStates.saveAnswer(activityId, actor.id, index);
      // One field per checkpoint: two answers at once cannot overwrite each other.
      await this.redis.hset(watchKey(activityId, actor.id), `cp${index}`, '1');
    }
    return { correct };
  }

  private async checkpointsOf(activityId: string) {
    const activity = await this.activities.findById(activityId);
    return (activity?.settings as VideoSettings | undefined)?.checkpoints ?? [];
  }

  private async checkpointAt(activityId: string, atSeconds: number): Promise<WatchView['checkpoint']> {
    const checkpoints = await this.checkpointsOf(activityId);
    const index = checkpoints.findIndex((c) => c.atSeconds === atSeconds);
    if (index < 0) return null;
    const { prompt, options } = checkpoints[index];
    return { index, atSeconds, prompt, options };
  }

  /**
   * The player's play event: the learner starts (or resumes) playing. Watching counts from a start the server
   * saw, this or the video's own fetch; a playback already going on keeps its start.
   */
  async play(activityId: string, actor: AuthUser): Promise<{ startedAt: Date }> {
    await this.context(activityId, actor);
    return { startedAt: await this.startPlayback(activityId, actor.id) };
  }

  /** Notes that the server saw (video, learner) start playing, unless a playback is already going on. */
  async startPlayback(activityId: string, userId: string): Promise<Date> {
    return new Date(Number(await this.redis.playbackStart(playbackKey(activityId, userId), PLAYBACK_IDLE_SECONDS)));
  }

  private runScript(activityId: string, userId: string, span: { from: number; to: number }, device: string) {
    return this.redis.watchReport(
      watchKey(activityId, userId),
      learnerKey(userId),
      DIRTY_KEY,
      contextKey(activityId, userId),
      playbackKey(activityId, userId),
      span.from,
      span.to,
      0,
      this.config.video.maxPlaybackRate,
      device,
      DEVICE_IDLE_MS,
      PLAYBACK_IDLE_SECONDS,
      MAX_REPORT_WINDOW_SECONDS,
      SLACK_SECONDS,
      `${activityId}:${userId}`,
      WATCH_TTL_SECONDS,
      activityId,
    );
  }

  /** Where the learner stands: for resuming playback and showing real progress. */
  async state(activityId: string, actor: AuthUser): Promise<WatchView & { intervals: [number, number][] }> {
    const context = await this.context(activityId, actor);
    const [iv, pos, done] = await this.redis.hmget(watchKey(activityId, actor.id), 'iv', 'pos', 'done');
    const intervals = JSON.parse(iv ?? '[]') as [number, number][];
    const watched = watchedSeconds(intervals, context.duration);
    return { ...this.view(context, watched, Number(pos ?? 0), done === '1' || isWatched(watched, lengthOf(context)), 'ok', true), intervals };
  }

  /**
   * The progress engine hears of the first watched seconds and of completion, once each (the caller asks only
   * when the report brought one of them); true when the video is now complete.
   */
  private async tellEngine(activityId: string, userId: string, outcome: ActivityOutcome): Promise<boolean> {
    const key = watchKey(activityId, userId);
    await this.progress.apply(userId, activityId, outcome);
    if (outcome.kind === 'complete') {
      await this.redis.hset(key, 'done', '1', 'st', '1');
      return true;
    }
    await this.redis.hset(key, 'st', '1');
    return false;
  }

  private view(context: WatchContext, watched: number, position: number, completed: boolean, status: WatchStatus, counted: boolean): WatchView {
    return {
      accepted: counted,
      reason: status === 'ok' || status === 'other_device' || status === 'not_started' ? null : status,
      checkpoint: null,
      watchedSeconds: Math.round(watched * 10) / 10,
      percent: Math.min(100, Math.floor((watched / context.duration) * 100)),
      completed,
      position: Math.round(position * 10) / 10,
      durationSeconds: context.duration,
    };
  }

  /**
   * Who may report and the video's length, checked in MySQL once and then cached briefly in Redis so the
   * hot path needs no database. A cold start also reloads what MySQL holds into Redis.
   */
  private async context(activityId: string, actor: AuthUser): Promise<WatchContext> {
    const cached = await this.redis.get(contextKey(activityId, actor.id));
    if (cached) return JSON.parse(cached) as WatchContext;

    const now = new Date();
    // 409 outside the lesson's work window; inside it, the context lives no longer than the window, so the
    // first report after the due date (without 补学) or after the make-up deadline is checked here again.
    const { activity, course, window } = await this.access.activityForWork(activityId, actor, 'video', now);
    const settings = activity.settings as VideoSettings;
    const file = await this.files.findByActivity(activityId);
    const { durationSeconds: duration, thresholdSeconds: threshold } = videoLength(settings, file?.durationSeconds);
    const context: WatchContext = { courseId: course.id, duration, threshold, checkpoints: (settings.checkpoints ?? []).map((c) => c.atSeconds) };

    const key = watchKey(activityId, actor.id);
    if (!(await this.redis.exists(key))) {
      const stored = await this.watchStates.findState(activityId, actor.id);
      const done = await this.progress.isCompleted(activityId, actor.id);
      if (stored) await this.redis.hsetnx(key, 'iv', stored.intervals);
      if (stored) await this.redis.hsetnx(key, 'pos', String(stored.positionSeconds));
      if (stored) await this.redis.hsetnx(key, 'st', '1');
      if (done) await this.redis.hsetnx(key, 'done', '1');
      for (const checkpointIndex of await this.watchStates.findAnsweredIndexes(activityId, actor.id)) await this.redis.hsetnx(key, `cp${checkpointIndex}`, '1');
      await this.redis.expire(key, WATCH_TTL_SECONDS);
    }
    const windowLeftMs = window.closesAt ? window.closesAt.getTime() - now.getTime() : Infinity;
    await this.redis.set(contextKey(activityId, actor.id), JSON.stringify(context), 'PX', Math.max(1, Math.min(CONTEXT_TTL_SECONDS * 1000, windowLeftMs)));
    return context;
  }

  /** Forgets cached contexts of an activity (its video was replaced: the length may have changed). */
  async forgetContexts(activityId: string): Promise<void> {
    const prefix = this.config.redis.prefix + ':';
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${prefix}${contextKey(activityId, '*')}`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await this.redis.del(...keys.map((k) => k.slice(prefix.length)));
    } while (cursor !== '0');
  }
}
