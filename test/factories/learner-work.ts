import type { DiscussionSettings, QuizSettings, ReadingSettings, VideoSettings } from '../../src/courses/activity-settings';
import type { Activity } from '../../src/courses/activity.entity';
import { discussionOutcome, type PostCounts } from '../../src/discussions/discussion-completion';
import type { ProgressService } from '../../src/progress/progress.service';
import { quizOutcome } from '../../src/quizzes/quiz-completion';
import { reflectionOutcome } from '../../src/readings/reading-completion';
import { attendanceOutcome } from '../../src/sessions/attendance-completion';
import type { AttendanceStatus } from '../../src/sessions/attendance.entity';
import { videoLength, videoOutcome } from '../../src/videos/video-completion';

/**
 * A learner's work told to the progress engine through each activity's own completion rule, at a chosen
 * time: for tests that need progress (or 补学) without going through the learning features' HTTP paths.
 */
export function watchVideo(engine: ProgressService, userId: string, activity: Activity, seconds: number, at?: Date) {
  return engine.apply(userId, activity.id, videoOutcome(seconds, videoLength(activity.settings as VideoSettings)), at);
}

export function submitReflection(engine: ProgressService, userId: string, activity: Activity, approved: boolean, at?: Date, submittedAt?: Date) {
  return engine.apply(userId, activity.id, reflectionOutcome(activity.settings as ReadingSettings, approved, submittedAt), at);
}

export function attemptQuiz(engine: ProgressService, userId: string, activity: Activity, passed: boolean, at?: Date) {
  return engine.apply(userId, activity.id, quizOutcome(activity.settings as QuizSettings, passed), at);
}

export function postInDiscussion(engine: ProgressService, userId: string, activity: Activity, counts: PostCounts, at?: Date) {
  return engine.apply(userId, activity.id, discussionOutcome(activity.settings as DiscussionSettings, counts), at);
}

export function recordAttendance(engine: ProgressService, userId: string, activity: Activity, status: AttendanceStatus, at?: Date) {
  return engine.apply(userId, activity.id, attendanceOutcome(status), at);
}
