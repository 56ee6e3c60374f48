import type { MessageKey } from '../i18n';

export const TYPE_KEYS: Record<string, MessageKey> = {
  video: 'typeVideo',
  reading: 'typeReading',
  quiz: 'typeQuiz',
  discussion: 'typeDiscussion',
  session: 'typeSession',
};

export const STATE_KEYS: Record<string, MessageKey> = {
  not_started: 'stateNotStarted',
  in_progress: 'stateInProgress',
  completed: 'stateCompleted',
};

export const COURSE_STATUS_KEYS: Record<string, MessageKey> = { draft: 'statusDraft', published: 'statusPublished', closed: 'statusClosed' };

/** A reflection's status, for the learner and the reviewers alike. */
export const REFLECTION_STATUS_KEYS: Record<'draft' | 'submitted' | 'returned' | 'approved', MessageKey> = {
  draft: 'reflectionDraft',
  submitted: 'reflectionSubmitted',
  returned: 'reflectionReturned',
  approved: 'reflectionApproved',
};
