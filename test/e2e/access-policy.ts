/**
 * Who may do what, route by route: the policy that access-matrix.e2e-spec.ts enforces, and the table a reader
 * checks against docs/API.md ("Who may do what").
 *
 * The world (built by the spec): course C taught by instructor T, with learners in unit A and unit B. The
 * callers: anonymous; secretaryA and secretaryB (learners of C in units A and B — never the owners of the
 * targets); unitAdminA and unitAdminB; courseInstructor (T); otherInstructor (teaches nothing here); the
 * department. Targets named "…OfUnitB" belong to another learner of unit B.
 *
 * Each row names every caller: in `allow` (must answer 2xx), in `deny` (the exact status: 401 no token,
 * 403 refused for what the caller is, 404 an object the caller may not reach, exactly as an unknown id), or
 * in `reaches` (passes access control and is then stopped by the object's state, with that status).
 * A registered route without a row fails the spec.
 */

export const CALLERS = ['anonymous', 'secretaryA', 'secretaryB', 'otherInstructor', 'unitAdminA', 'unitAdminB', 'courseInstructor', 'department'] as const;
export type Caller = (typeof CALLERS)[number];

/** Named objects the spec seeds; `fresh…` ones are made anew for each caller that is allowed to change them. */
export type Target =
  | 'none'
  | 'course'
  | 'freshPublishedCourse'
  | 'section'
  | 'freshSection'
  | 'videoActivity'
  | 'readingActivity'
  | 'quizActivity'
  | 'discussionActivity'
  | 'sessionActivity'
  | 'freshActivity'
  | 'spareInstructor'
  | 'unitB'
  | 'branchB'
  | 'learnerOfUnitB'
  | 'personOfUnitB'
  | 'adminOfUnitB'
  | 'attendanceOfUnitB'
  | 'freshEnrolmentOfUnitB'
  | 'reflectionOfUnitB'
  | 'attemptOfUnitB'
  | 'threadOfUnitB'
  | 'postOfUnitB'
  | 'attachment'
  | 'freshAttachment'
  | 'question'
  | 'notificationOfUnitB'
  | 'calendarFeedOfUnitB'
  | 'certificateOfUnitB'
  | 'certificateToRevoke'
  | 'compileJob'
  | 'reminderRun'
  | 'suggestionOfUnitB'
  | 'anonymousSuggestionOfUnitB'
  // a named survey of course C by its instructor, aimed at C's learners (secretaryA and secretaryB)
  | 'surveyOfCourse'
  | 'verificationCode'
  // the handbook (一册) of branch B, kept by secretaryB
  | 'branchBYear'
  | 'recordOfBranchB'
  | 'freshRecordOfBranchB'
  | 'freshSubmittedRecordOfBranchB'
  | 'freshAcceptedRecordOfBranchB'
  | 'photoOfRecordB'
  | 'freshPhotoOfRecordB'
  | 'normsYear'
  | 'memberOfBranchB'
  | 'freshMemberOfBranchB'
  | 'planOfBranchB'
  | 'freshPlanOfBranchB'
  | 'freshSubmittedPlanOfBranchB'
  // 经验交流: a case shared by secretaryB (unit B)
  | 'caseOfBranchB'
  | 'freshCaseOfBranchB'
  // 考核评估: the scheme year 2098 and a computed, unpublished round of it (its scheme has a manual indicator)
  | 'assessmentYear'
  | 'assessmentRound'
  | 'assessmentRoundBranchB'
  | 'freshAssessmentAdjustment'
  | 'photoOfCaseB'
  | 'freshPhotoOfCaseB';

export interface PolicyRow {
  /** `METHOD /api/path/:param` exactly as registered. */
  route: string;
  target: Target;
  /** Appended to the path (e.g. `?force=true`). */
  query?: string;
  /** The request body, or a name the spec turns into one built at request time (see `BODIES` there). */
  body?: unknown;
  allow: Caller[];
  deny: Partial<Record<Caller, 401 | 403 | 404>>;
  reaches?: Partial<Record<Caller, number>>;
  /** Course-wide or admin-account actions: a unit admin's 403 must say `code: "DEPARTMENT_ONLY"`. */
  departmentOnly?: true;
  why?: string;
}

// Presets: what the guard answers by role, before any object is looked at.
const NO_TOKEN = { anonymous: 401 } as const;
/** @Authenticated('instructor', 'admin'): secretaries are refused by role. */
const STAFF = { anonymous: 401, secretaryA: 403, secretaryB: 403 } as const;
/** @Authenticated('admin'). */
const ADMINS = { ...STAFF, courseInstructor: 403, otherInstructor: 403 } as const;
/** @Authenticated('secretary'). */
const LEARNERS = { anonymous: 401, unitAdminA: 403, unitAdminB: 403, courseInstructor: 403, otherInstructor: 403, department: 403 } as const;

const EVERYONE: Caller[] = [...CALLERS];
const SIGNED_IN: Caller[] = CALLERS.filter((c) => c !== 'anonymous');
const ALL_ADMINS: Caller[] = ['department', 'unitAdminA', 'unitAdminB'];
/** Those who edit a course's design: admins (unit admins too, per API.md) and its instructors. */
const EDITORS: Caller[] = [...ALL_ADMINS, 'courseInstructor'];
/** Those who see course C: its editors and its learners. */
const VIEWERS: Caller[] = [...EDITORS, 'secretaryA', 'secretaryB'];
/** Those who write in C's discussions: its learners, its instructors and the department. */
const POSTERS: Caller[] = ['department', 'courseInstructor', 'secretaryA', 'secretaryB'];
/** Acting on a unit-B learner's work: the department, unit B's admin, the course's instructors. */
const REACH_UNIT_B: Caller[] = ['department', 'unitAdminB', 'courseInstructor'];

/** A branch's work (members, plan, handbook): who reads it, and what everyone else is told. */
const HANDBOOK_READERS: Caller[] = ['secretaryB', 'unitAdminB', 'department'];
const HANDBOOK_OUTSIDE = { anonymous: 401, secretaryA: 404, unitAdminA: 404, otherInstructor: 403, courseInstructor: 403 } as const;
/** Writing a branch's work: its secretary only; its readers are refused for what they are. */
const HANDBOOK_KEEP = { ...HANDBOOK_OUTSIDE, unitAdminB: 403, department: 403 } as const;
/**
 * Branch B's own work (members, plan; src/org/branch-scope.ts): secretaryB is its secretary. Instructors are
 * refused by role; another branch's secretary and another unit's admin find no such branch.
 */
const BRANCH_WORK = { anonymous: 401, courseInstructor: 403, otherInstructor: 403, secretaryA: 404, unitAdminA: 404 } as const;
const BRANCH_B_READERS: Caller[] = ['department', 'unitAdminB', 'secretaryB'];
/** Written by its secretary only: the unit and the department read and review, they do not write it. */
const BRANCH_B_KEEPER = { ...BRANCH_WORK, unitAdminB: 403, department: 403 } as const;
const BRANCH_B_REVIEWERS: Caller[] = ['department', 'unitAdminB'];

/** An instructor who does not teach the course finds it, and everything in it, absent. */
const NOT_TAUGHT = { otherInstructor: 404 } as const;

export const POLICY: PolicyRow[] = [
  // ---- Identity and organization ----
  { route: 'POST /api/auth/login', target: 'none', body: 'login', allow: EVERYONE, deny: {} },
  { route: 'GET /api/health', target: 'none', allow: EVERYONE, deny: {} },
  { route: 'GET /api/me', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'GET /api/me/todo', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN, why: 'the caller\'s own work only' },
  { route: 'PATCH /api/me', target: 'none', body: { phone: '13800000000' }, allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'GET /api/me/preferences', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'PATCH /api/me/preferences', target: 'none', body: { weeklyDigest: true }, allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'POST /api/units', target: 'none', body: 'unit', allow: ['department'], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, departmentOnly: true },
  { route: 'GET /api/units', target: 'none', allow: ALL_ADMINS, deny: ADMINS },
  { route: 'GET /api/units/:id', target: 'unitB', allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },
  { route: 'PATCH /api/units/:id', target: 'unitB', body: 'rename', allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },
  { route: 'POST /api/branches', target: 'none', body: 'branchInUnitB', allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },
  { route: 'GET /api/branches', target: 'none', allow: ALL_ADMINS, deny: ADMINS },
  { route: 'GET /api/branches/:id', target: 'branchB', allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },
  { route: 'PATCH /api/branches/:id', target: 'branchB', body: 'rename', allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },
  { route: 'POST /api/users', target: 'none', body: 'secretaryInUnitB', allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },
  { route: 'POST /api/users', target: 'none', body: 'adminOfUnitB', allow: ['department'], deny: { ...ADMINS, unitAdminA: 404, unitAdminB: 403 }, departmentOnly: true, why: 'admin accounts are the department’s' },
  { route: 'GET /api/users/import/template', target: 'none', allow: ALL_ADMINS, deny: ADMINS },
  { route: 'POST /api/users/import', target: 'none', query: '?dryRun=true', body: 'roster', allow: ALL_ADMINS, deny: ADMINS, why: 'a unit admin imports into their own unit' },
  { route: 'GET /api/users', target: 'none', allow: ALL_ADMINS, deny: ADMINS },
  { route: 'GET /api/users/:id', target: 'learnerOfUnitB', allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },
  { route: 'PATCH /api/users/:id', target: 'personOfUnitB', body: 'rename', allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },
  { route: 'PATCH /api/users/:id', target: 'adminOfUnitB', body: 'rename', allow: ['department'], deny: { ...ADMINS, unitAdminA: 404, unitAdminB: 403 }, departmentOnly: true },
  { route: 'POST /api/users/:id/reset-password', target: 'personOfUnitB', allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },
  { route: 'POST /api/users/:id/reset-password', target: 'adminOfUnitB', allow: ['department'], deny: { ...ADMINS, unitAdminA: 404, unitAdminB: 403 }, departmentOnly: true },

  // ---- Courses and their design ----
  { route: 'POST /api/courses', target: 'none', body: 'course', allow: [...EDITORS, 'otherInstructor'], deny: STAFF },
  { route: 'GET /api/courses', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'GET /api/courses/:id', target: 'course', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'PATCH /api/courses/:id', target: 'course', body: { description: '本期培训聚焦支部工作实务。' }, allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/courses/:id/publish', target: 'course', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/courses/:id/close', target: 'freshPublishedCourse', allow: ['department'], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, departmentOnly: true, why: 'course-wide: DEPARTMENT_ONLY' },
  { route: 'POST /api/courses/:id/instructors', target: 'course', body: 'spareInstructor', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'DELETE /api/courses/:id/instructors/:userId', target: 'spareInstructor', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/courses/:id/sections', target: 'course', body: 'title', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/courses/:id/activities', target: 'course', body: 'activity', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'PATCH /api/sections/:id', target: 'section', body: 'title', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'DELETE /api/sections/:id', target: 'freshSection', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'GET /api/activities/:id', target: 'readingActivity', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'PATCH /api/activities/:id', target: 'discussionActivity', body: 'title', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/activities/:id/archive', target: 'freshActivity', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/activities/:id/unarchive', target: 'freshActivity', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'DELETE /api/activities/:id', target: 'freshActivity', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'GET /api/courses/:id/schedule', target: 'course', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'GET /api/courses/:id/schedule.ics', target: 'course', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'POST /api/me/calendar-feed', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'DELETE /api/me/calendar-feed', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'GET /api/calendar/:token', target: 'calendarFeedOfUnitB', allow: EVERYONE, deny: {}, why: 'the secret token is the credential' },
  { route: 'GET /api/courses/:id/progress', target: 'course', allow: ['secretaryA', 'secretaryB'], deny: LEARNERS },
  { route: 'GET /api/me/record', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN },

  // ---- Enrolment: learners are people, so a unit admin reaches their unit's only ----
  { route: 'POST /api/courses/:id/enrollments', target: 'course', body: 'enrolLearnerOfUnitB', allow: REACH_UNIT_B, deny: { ...STAFF, unitAdminA: 404, ...NOT_TAUGHT } },
  { route: 'GET /api/courses/:id/enrollments', target: 'course', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT }, why: 'a unit admin’s list holds their unit only' },
  { route: 'DELETE /api/courses/:id/enrollments/:userId', target: 'freshEnrolmentOfUnitB', allow: REACH_UNIT_B, deny: { ...STAFF, unitAdminA: 404, ...NOT_TAUGHT } },

  // ---- Video lessons ----
  { route: 'POST /api/activities/:id/video', target: 'videoActivity', body: 'notAVideo', allow: [], deny: { ...STAFF, ...NOT_TAUGHT }, reaches: { department: 415, unitAdminA: 415, unitAdminB: 415, courseInstructor: 415 }, why: 'editors pass, then the bytes are refused' },
  { route: 'GET /api/activities/:id/video', target: 'videoActivity', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'GET /api/activities/:id/video-url', target: 'videoActivity', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'POST /api/activities/:id/play', target: 'videoActivity', allow: ['secretaryA', 'secretaryB'], deny: LEARNERS, why: 'a learner starts playback before reporting progress' },
  { route: 'POST /api/activities/:id/progress', target: 'videoActivity', body: { from: 0, to: 1 }, allow: ['secretaryA', 'secretaryB'], deny: LEARNERS },
  { route: 'POST /api/activities/:id/checkpoints/:index', target: 'videoActivity', body: { answer: 0 }, allow: [], deny: LEARNERS, reaches: { secretaryA: 404, secretaryB: 404 }, why: 'the lesson has no checkpoint 0' },
  { route: 'GET /api/activities/:id/watch', target: 'videoActivity', allow: ['secretaryA', 'secretaryB'], deny: LEARNERS },
  { route: 'GET /api/videos/:id/stream', target: 'videoActivity', allow: [], deny: { anonymous: 404, secretaryA: 404, secretaryB: 404, otherInstructor: 404, unitAdminA: 404, unitAdminB: 404, courseInstructor: 404, department: 404 }, why: 'public: only a valid signature opens it (here none), for anyone' },

  // ---- Readings and reflections ----
  { route: 'GET /api/activities/:id/reading', target: 'readingActivity', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'POST /api/activities/:id/reflections', target: 'readingActivity', body: 'reflection', allow: ['secretaryA', 'secretaryB'], deny: LEARNERS },
  { route: 'GET /api/activities/:id/reflections', target: 'readingActivity', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT }, why: 'a learner lists their own, a unit admin their unit’s' },
  { route: 'GET /api/activities/:id/reflections/excellent', target: 'readingActivity', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'GET /api/reflections/:id', target: 'reflectionOfUnitB', allow: REACH_UNIT_B, deny: { ...NO_TOKEN, secretaryA: 404, secretaryB: 404, unitAdminA: 404, ...NOT_TAUGHT } },
  { route: 'GET /api/reviews/reflections', target: 'none', allow: [...ALL_ADMINS, 'courseInstructor', 'otherInstructor'], deny: STAFF, why: 'each reviewer sees their own scope: the courses they teach, their unit, everything' },
  { route: 'GET /api/reviews/reflections/counts', target: 'none', allow: [...ALL_ADMINS, 'courseInstructor', 'otherInstructor'], deny: STAFF },
  { route: 'GET /api/reviews/reflections/:id/compare', target: 'reflectionOfUnitB', allow: REACH_UNIT_B, deny: { ...STAFF, unitAdminA: 404, ...NOT_TAUGHT } },
  { route: 'POST /api/reflections/:id/review', target: 'reflectionOfUnitB', body: { decision: 'approve' }, allow: REACH_UNIT_B, deny: { ...STAFF, unitAdminA: 404, ...NOT_TAUGHT } },
  { route: 'POST /api/activities/:id/attachments', target: 'readingActivity', body: 'pdf', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'GET /api/activities/:id/attachments', target: 'readingActivity', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'GET /api/attachments/:id', target: 'attachment', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'DELETE /api/attachments/:id', target: 'freshAttachment', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },

  // ---- Quizzes: an attempt is its learner's alone ----
  { route: 'POST /api/activities/:id/attempts', target: 'quizActivity', allow: ['secretaryA', 'secretaryB'], deny: LEARNERS },
  { route: 'GET /api/activities/:id/attempts', target: 'quizActivity', allow: ['secretaryA', 'secretaryB'], deny: LEARNERS },
  { route: 'GET /api/activities/:id/quiz-stats', target: 'quizActivity', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT }, why: 'a unit admin counts their unit’s attempts' },
  { route: 'GET /api/attempts/:id', target: 'attemptOfUnitB', allow: [], deny: { ...LEARNERS, secretaryA: 404, secretaryB: 404 } },
  { route: 'PUT /api/attempts/:id/answers', target: 'attemptOfUnitB', body: { answers: {} }, allow: [], deny: { ...LEARNERS, secretaryA: 404, secretaryB: 404 } },
  { route: 'POST /api/attempts/:id/submit', target: 'attemptOfUnitB', body: { answers: {} }, allow: [], deny: { ...LEARNERS, secretaryA: 404, secretaryB: 404 } },
  { route: 'GET /api/courses/:id/questions', target: 'course', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/courses/:id/questions', target: 'course', body: 'question', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'GET /api/questions/:id', target: 'question', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'PATCH /api/questions/:id', target: 'question', body: { prompt: '三会一课是党的组织生活基本制度。' }, allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/questions/:id/archive', target: 'question', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/questions/:id/unarchive', target: 'question', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },

  // ---- Discussions ----
  { route: 'GET /api/activities/:id/threads', target: 'discussionActivity', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'POST /api/activities/:id/threads', target: 'discussionActivity', body: 'thread', allow: POSTERS, deny: { ...NO_TOKEN, unitAdminA: 403, unitAdminB: 403, ...NOT_TAUGHT }, why: 'unit admins follow discussions without posting' },
  { route: 'GET /api/courses/:id/forum/threads', target: 'course', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'POST /api/courses/:id/forum/threads', target: 'course', body: 'thread', allow: POSTERS, deny: { ...NO_TOKEN, unitAdminA: 403, unitAdminB: 403, ...NOT_TAUGHT }, why: 'unit admins follow discussions without posting' },
  { route: 'GET /api/threads/:id', target: 'threadOfUnitB', allow: VIEWERS, deny: { ...NO_TOKEN, ...NOT_TAUGHT } },
  { route: 'POST /api/threads/:id/posts', target: 'threadOfUnitB', body: 'post', allow: POSTERS, deny: { ...NO_TOKEN, unitAdminA: 403, unitAdminB: 403, ...NOT_TAUGHT }, why: 'unit admins follow discussions without posting' },
  { route: 'PATCH /api/posts/:id', target: 'postOfUnitB', body: 'post', allow: [], deny: { ...NO_TOKEN, secretaryA: 403, secretaryB: 403, unitAdminA: 403, unitAdminB: 403, courseInstructor: 403, department: 403, ...NOT_TAUGHT }, why: 'only its author edits a post (those who see it are refused)' },
  { route: 'PATCH /api/threads/:id', target: 'threadOfUnitB', body: { pinned: true }, allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/threads/:id/moderate', target: 'threadOfUnitB', body: { locked: false }, allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/posts/:id/moderate', target: 'postOfUnitB', body: { featured: true }, allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },

  // ---- Sessions and attendance: marks are learners' work ----
  { route: 'POST /api/activities/:id/checkin/open', target: 'sessionActivity', body: { open: true }, allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'GET /api/activities/:id/checkin', target: 'sessionActivity', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'GET /api/activities/:id/checkin/code', target: 'sessionActivity', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/activities/:id/check-in-code', target: 'sessionActivity', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'POST /api/activities/:id/checkin', target: 'sessionActivity', body: 'checkInCode', allow: ['secretaryA', 'secretaryB'], deny: LEARNERS },
  { route: 'POST /api/activities/:id/check-in', target: 'sessionActivity', body: 'checkInCode', allow: ['secretaryA', 'secretaryB'], deny: LEARNERS },
  { route: 'PUT /api/activities/:id/attendance', target: 'sessionActivity', body: 'markLearnerOfUnitB', allow: REACH_UNIT_B, deny: { ...STAFF, unitAdminA: 404, ...NOT_TAUGHT } },
  { route: 'PUT /api/activities/:id/attendance/:userId', target: 'attendanceOfUnitB', body: { status: 'present' }, allow: REACH_UNIT_B, deny: { ...STAFF, unitAdminA: 404, ...NOT_TAUGHT } },
  { route: 'GET /api/activities/:id/attendance', target: 'sessionActivity', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT }, why: 'a unit admin’s list holds their unit only' },

  // ---- Notifications and suggestions ----
  { route: 'GET /api/me/notifications', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'POST /api/me/notifications/read-all', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'POST /api/me/notifications/:id/read', target: 'notificationOfUnitB', allow: [], deny: { ...NO_TOKEN, secretaryA: 404, secretaryB: 404, otherInstructor: 404, unitAdminA: 404, unitAdminB: 404, courseInstructor: 404, department: 404 } },
  { route: 'POST /api/suggestions', target: 'none', body: 'suggestion', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'GET /api/suggestions', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN, why: 'each sees their own; a unit admin their unit’s; the department all' },
  { route: 'GET /api/suggestions/:id', target: 'suggestionOfUnitB', allow: ['department', 'unitAdminB'], deny: { ...NO_TOKEN, secretaryA: 404, secretaryB: 404, otherInstructor: 404, courseInstructor: 404, unitAdminA: 404 } },
  { route: 'GET /api/suggestions/:id', target: 'anonymousSuggestionOfUnitB', allow: ['department', 'unitAdminB'], deny: { ...NO_TOKEN, secretaryA: 404, secretaryB: 404, otherInstructor: 404, courseInstructor: 404, unitAdminA: 404 } },
  { route: 'POST /api/suggestions/:id/reply', target: 'suggestionOfUnitB', body: 'answer', allow: ['department'], deny: { ...ADMINS, unitAdminA: 404, unitAdminB: 403 } },

  // ---- Exchange of experience (经验交流): secretaries share their branch's cases; everyone signed in reads,
  // comments and marks them useful; the case's unit admin recommends; the department features; both moderate. ----
  { route: 'POST /api/cases', target: 'none', body: 'case', allow: ['secretaryA', 'secretaryB'], deny: LEARNERS },
  { route: 'GET /api/cases', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN, why: 'hidden cases only for the department and their unit’s admin' },
  { route: 'GET /api/cases/:id', target: 'caseOfBranchB', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'GET /api/cases/:id/comments', target: 'caseOfBranchB', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'POST /api/cases/:id/comments', target: 'caseOfBranchB', body: { body: '值得学习。' }, allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'POST /api/cases/:id/useful', target: 'caseOfBranchB', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'POST /api/cases/:id/recommend', target: 'caseOfBranchB', allow: ['unitAdminB'], deny: { ...ADMINS, unitAdminA: 404, department: 403 }, why: 'the unit recommends to the department' },
  { route: 'POST /api/cases/:id/feature', target: 'caseOfBranchB', body: { featured: true }, allow: ['department'], deny: { ...ADMINS, unitAdminA: 404, unitAdminB: 403 }, departmentOnly: true },
  { route: 'POST /api/cases/:id/hide', target: 'freshCaseOfBranchB', body: { hidden: true }, allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },
  { route: 'POST /api/cases/:id/lock', target: 'freshCaseOfBranchB', body: { locked: true }, allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },
  // Photos and files: the case's author adds and removes them; whoever reads the case reads them.
  { route: 'POST /api/cases/:id/files', target: 'caseOfBranchB', body: 'photo', allow: ['secretaryB'], deny: { ...LEARNERS, secretaryA: 403 }, why: 'the author only (CASE_AUTHOR_ONLY)' },
  { route: 'GET /api/cases/:id/files/:fileId', target: 'photoOfCaseB', allow: SIGNED_IN, deny: NO_TOKEN, why: 'as the case: a hidden case’s files only for its moderators' },
  { route: 'DELETE /api/cases/:id/files/:fileId', target: 'freshPhotoOfCaseB', allow: ['secretaryB'], deny: { ...LEARNERS, secretaryA: 403 } },
  // ---- Surveys (调查研究) ----
  { route: 'POST /api/surveys', target: 'none', body: 'surveyOfCourse', allow: ['department', 'courseInstructor'], deny: { ...STAFF, unitAdminA: 403, unitAdminB: 403, ...NOT_TAUGHT }, why: 'the department, or an instructor for a course they teach' },
  { route: 'GET /api/surveys', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN, why: 'those aimed at me and my own; the department all' },
  { route: 'GET /api/surveys/:id', target: 'surveyOfCourse', allow: ['department', 'courseInstructor', 'secretaryA', 'secretaryB'], deny: { ...NO_TOKEN, otherInstructor: 404, unitAdminA: 404, unitAdminB: 404 } },
  { route: 'POST /api/surveys/:id/responses', target: 'surveyOfCourse', body: 'surveyAnswers', allow: ['secretaryA', 'secretaryB'], deny: { ...NO_TOKEN, otherInstructor: 404, unitAdminA: 404, unitAdminB: 404, courseInstructor: 403, department: 403 }, why: 'only those it is aimed at; a named survey takes a second answer as an edit' },
  { route: 'GET /api/surveys/:id/results', target: 'surveyOfCourse', allow: ['department', 'courseInstructor'], deny: { ...NO_TOKEN, otherInstructor: 404, unitAdminA: 404, unitAdminB: 404, secretaryA: 403, secretaryB: 403 } },

  // ---- Reminders and the queue board: course-wide, the department's ----
  { route: 'GET /api/courses/:id/reminders/run/:jobId', target: 'reminderRun', allow: ['department', 'courseInstructor'], deny: { ...STAFF, unitAdminA: 403, unitAdminB: 403, ...NOT_TAUGHT }, departmentOnly: true },
  { route: 'GET /api/admin/reminders/summary', target: 'none', allow: ALL_ADMINS, deny: ADMINS, why: 'a unit admin counts their unit only' },
  { route: 'POST /api/courses/:id/reminders/run', target: 'course', allow: ['department', 'courseInstructor'], deny: { ...STAFF, unitAdminA: 403, unitAdminB: 403, ...NOT_TAUGHT }, departmentOnly: true },
  { route: 'GET /api/admin/reminders/deliveries', target: 'none', allow: ALL_ADMINS, deny: ADMINS, why: 'a unit admin’s list holds their unit only' },
  { route: 'POST /api/admin/queue-session', target: 'none', allow: ['department'], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, departmentOnly: true },

  // ---- Certificates ----
  { route: 'POST /api/courses/:id/certificates/compile', target: 'course', query: '?force=true', allow: ['department'], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, departmentOnly: true },
  { route: 'GET /api/courses/:id/close-preview', target: 'course', allow: ['department'], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, departmentOnly: true },
  { route: 'GET /api/courses/:id/certificates/compile/:jobId', target: 'compileJob', allow: ALL_ADMINS, deny: ADMINS },
  { route: 'GET /api/courses/:id/certificates', target: 'course', allow: ALL_ADMINS, deny: ADMINS, why: 'a unit admin’s list holds their unit only' },
  { route: 'GET /api/courses/:id/certificates/bundle', target: 'course', allow: ALL_ADMINS, deny: ADMINS },
  { route: 'GET /api/courses/:id/certificates/summary', target: 'course', allow: ALL_ADMINS, deny: ADMINS },
  { route: 'GET /api/me/certificates', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'GET /api/certificates/verify/:code', target: 'verificationCode', allow: EVERYONE, deny: {} },
  { route: 'GET /api/certificates/:id/pdf', target: 'certificateOfUnitB', allow: ['department', 'unitAdminB'], deny: { ...NO_TOKEN, secretaryA: 404, secretaryB: 404, otherInstructor: 404, courseInstructor: 404, unitAdminA: 404 } },
  { route: 'POST /api/certificates/:id/revoke', target: 'certificateToRevoke', body: 'reason', allow: ['department'], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, departmentOnly: true },
  { route: 'POST /api/certificates/:id/reissue', target: 'certificateToRevoke', body: 'reason', allow: ['department'], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, departmentOnly: true },

  // ---- Completion reports: rows are people, so a unit admin's are their unit's ----
  { route: 'GET /api/reports/courses/:id/completion', target: 'course', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'GET /api/reports/courses/:id/learners', target: 'course', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'GET /api/reports/courses/:id/branches', target: 'course', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  { route: 'GET /api/reports/courses/:id/export', target: 'course', query: '?format=csv', allow: EDITORS, deny: { ...STAFF, ...NOT_TAUGHT } },
  // ---- Branch-work oversight: a unit admin sees their own unit's branches (another unit's is a 404) ----
  { route: 'GET /api/reports/branch-work', target: 'none', allow: ALL_ADMINS, deny: ADMINS, why: 'a unit admin: their own unit by default' },
  { route: 'GET /api/reports/branch-work/export', target: 'none', allow: ALL_ADMINS, deny: ADMINS },
  { route: 'GET /api/reports/branch-work/branches/:id', target: 'branchB', allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },

  // ---- Branch work: the handbook (一册). A branch's work is read by its secretary, its unit's admins and the
  // department; only its secretary writes it; its unit or the department reviews it (BranchScope). Instructors
  // have no part in it (403 by role); another branch or unit finds nothing (404). ----
  { route: 'POST /api/branches/:id/records', target: 'branchB', body: 'record', allow: ['secretaryB'], deny: HANDBOOK_KEEP },
  { route: 'GET /api/branches/:id/records', target: 'branchB', allow: HANDBOOK_READERS, deny: HANDBOOK_OUTSIDE },
  { route: 'GET /api/branches/:id/handbook/:year', target: 'branchBYear', query: '?format=xlsx', allow: HANDBOOK_READERS, deny: HANDBOOK_OUTSIDE },
  { route: 'GET /api/records', target: 'none', query: '?status=submitted', allow: ALL_ADMINS, deny: ADMINS, why: 'the review queue: a unit admin’s holds their unit only' },
  { route: 'GET /api/records/:id', target: 'recordOfBranchB', allow: HANDBOOK_READERS, deny: HANDBOOK_OUTSIDE },
  { route: 'PATCH /api/records/:id', target: 'recordOfBranchB', body: { place: '党员活动室' }, allow: ['secretaryB'], deny: HANDBOOK_KEEP },
  { route: 'POST /api/records/:id/attachments', target: 'recordOfBranchB', body: 'photo', allow: ['secretaryB'], deny: HANDBOOK_KEEP },
  { route: 'GET /api/records/:id/attachments/:attachmentId', target: 'photoOfRecordB', allow: HANDBOOK_READERS, deny: HANDBOOK_OUTSIDE },
  { route: 'DELETE /api/records/:id/attachments/:attachmentId', target: 'freshPhotoOfRecordB', allow: ['secretaryB'], deny: HANDBOOK_KEEP },
  { route: 'POST /api/records/:id/submit', target: 'freshRecordOfBranchB', allow: ['secretaryB'], deny: HANDBOOK_KEEP },
  { route: 'POST /api/records/:id/review', target: 'freshSubmittedRecordOfBranchB', body: { decision: 'accept' }, allow: ['unitAdminB', 'department'], deny: { ...HANDBOOK_OUTSIDE, secretaryB: 403 } },
  { route: 'POST /api/records/:id/corrections', target: 'freshAcceptedRecordOfBranchB', body: 'correction', allow: ['secretaryB'], deny: HANDBOOK_KEEP },

  // ---- Assessment (考核评估): the department's schemes and rounds; unit admins score and read their own unit ----
  { route: 'GET /api/assessments/measures', target: 'none', allow: ALL_ADMINS, deny: ADMINS },
  { route: 'GET /api/assessments/schemes/:year', target: 'assessmentYear', allow: ALL_ADMINS, deny: ADMINS },
  { route: 'PUT /api/assessments/schemes/:year', target: 'assessmentYear', body: 'assessmentScheme', allow: ['department'], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, departmentOnly: true },
  { route: 'POST /api/assessments/rounds', target: 'none', body: { year: 2098, schemeYear: 2098 }, allow: ['department'], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, departmentOnly: true },
  { route: 'GET /api/assessments/rounds', target: 'none', allow: ALL_ADMINS, deny: ADMINS },
  { route: 'GET /api/assessments/rounds/:id', target: 'assessmentRound', allow: ALL_ADMINS, deny: ADMINS },
  { route: 'POST /api/assessments/rounds/:id/retry', target: 'assessmentRound', allow: [], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, reaches: { department: 409 }, departmentOnly: true, why: 'the round is computed: nothing to carry on' },
  { route: 'PUT /api/assessments/rounds/:id/branches/:branchId/manual', target: 'assessmentRoundBranchB', body: { scores: [{ key: 'quality', score: 80, reason: '记录完整' }] }, allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 }, why: 'the unit admin scores their own unit' },
  { route: 'POST /api/assessments/rounds/:id/branches/:branchId/adjustments', target: 'assessmentRoundBranchB', body: { key: 'compliance', score: 90, reason: '补录记录' }, allow: ['department', 'unitAdminB'], deny: { ...ADMINS, unitAdminA: 404 } },
  { route: 'GET /api/assessments/rounds/:id/adjustments', target: 'assessmentRound', allow: ALL_ADMINS, deny: ADMINS, why: 'a unit admin: their unit’s' },
  { route: 'POST /api/assessments/rounds/:id/adjustments/:adjustmentId/decision', target: 'freshAssessmentAdjustment', body: { accept: false }, allow: ['department'], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, departmentOnly: true },
  { route: 'POST /api/assessments/rounds/:id/publish', target: 'assessmentRound', allow: [], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, reaches: { department: 409 }, departmentOnly: true, why: 'the matrix round lacks manual scores' },
  { route: 'GET /api/assessments/rounds/:id/results', target: 'assessmentRound', allow: ALL_ADMINS, deny: ADMINS, why: 'a unit admin: their own unit' },
  { route: 'GET /api/assessments/rounds/:id/branches/:branchId/sheet', target: 'assessmentRoundBranchB', allow: BRANCH_B_REVIEWERS, deny: BRANCH_WORK, reaches: { secretaryB: 404 }, why: 'its secretary once the round is published' },
  { route: 'GET /api/branches/:id/assessment', target: 'branchB', query: '?year=2098', allow: BRANCH_B_REVIEWERS, deny: BRANCH_WORK, reaches: { secretaryB: 404 }, why: 'its secretary once the round is published' },
  // ---- Branch work: norms (一规), member lists, annual plans (一表) ----
  { route: 'GET /api/norms', target: 'none', allow: SIGNED_IN, deny: NO_TOKEN },
  { route: 'PUT /api/norms/:year', target: 'normsYear', body: 'norms', allow: ['department'], deny: { ...ADMINS, unitAdminA: 403, unitAdminB: 403 }, departmentOnly: true },
  { route: 'GET /api/branches/:id/members', target: 'branchB', allow: BRANCH_B_READERS, deny: BRANCH_WORK },
  { route: 'POST /api/branches/:id/members', target: 'branchB', body: 'member', allow: ['secretaryB'], deny: BRANCH_B_KEEPER },
  { route: 'POST /api/branches/:id/members/import', target: 'branchB', query: '?dryRun=true', body: 'memberList', allow: ['secretaryB'], deny: BRANCH_B_KEEPER },
  { route: 'PATCH /api/branches/:id/members/:memberId', target: 'memberOfBranchB', body: { category: 'full' }, allow: ['secretaryB'], deny: BRANCH_B_KEEPER },
  { route: 'DELETE /api/branches/:id/members/:memberId', target: 'freshMemberOfBranchB', allow: ['secretaryB'], deny: BRANCH_B_KEEPER, why: 'the member leaves; the row stays' },
  { route: 'GET /api/branch-plans', target: 'none', query: '?status=submitted', allow: ALL_ADMINS, deny: ADMINS, why: 'the review queue: a unit admin’s holds their unit’s branches only' },
  { route: 'GET /api/branches/:id/plans/:year', target: 'planOfBranchB', allow: BRANCH_B_READERS, deny: BRANCH_WORK },
  { route: 'GET /api/branches/:id/plans/:year/export', target: 'planOfBranchB', query: '?format=pdf', allow: BRANCH_B_READERS, deny: BRANCH_WORK },
  { route: 'PUT /api/branches/:id/plans/:year', target: 'freshPlanOfBranchB', body: 'planItems', allow: ['secretaryB'], deny: BRANCH_B_KEEPER },
  { route: 'POST /api/branches/:id/plans/:year/submit', target: 'freshPlanOfBranchB', allow: ['secretaryB'], deny: BRANCH_B_KEEPER },
  { route: 'POST /api/branches/:id/plans/:year/review', target: 'freshSubmittedPlanOfBranchB', body: { decision: 'approve' }, allow: BRANCH_B_REVIEWERS, deny: { ...BRANCH_WORK, secretaryB: 403 } },

  // Last: a password change ends the caller's other sessions.
  { route: 'POST /api/me/password', target: 'none', body: 'newPassword', allow: SIGNED_IN, deny: NO_TOKEN },
];
