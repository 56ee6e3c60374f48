import type { InputProblem } from './input-problem';

/** The English name of every field the server names in an input problem (the Chinese ones come with the problem). */
export const fieldsEn: Record<string, string> = {
  active: 'Active',
  activityId: 'Activity',
  additionalProperties: 'Other fields',
  allSecretaries: 'All secretaries',
  answer: 'Answer',
  answers: 'Answers',
  body: 'Text',
  branchId: 'Branch',
  branchIds: 'Branches',
  checkpoints: 'Checkpoints',
  code: 'Code',
  currentPassword: 'Current password',
  decision: 'Decision',
  description: 'Description',
  deviceId: 'Device',
  draft: 'Draft',
  dryRun: 'Dry run',
  email: 'Email',
  endsAt: 'End',
  excellent: 'Excellent',
  feedback: 'Feedback',
  force: 'Force',
  format: 'File format',
  from: 'Start',
  graceDays: 'Make-up days',
  makeUpPolicy: 'Make-up policy',
  makeUpUntil: 'Make-up deadline',
  activities: 'Activities',
  atSeconds: 'Time in the video',
  file: 'File',
  id: 'Id',
  settings: 'Settings',
  instructorIds: 'Instructors',
  key: 'Question key',
  kind: 'Kind',
  mustChangePassword: 'Must change password',
  name: 'Name',
  names: 'Names',
  newPassword: 'New password',
  order: 'Order',
  parentId: 'Reply to',
  password: 'Password',
  phone: 'Phone',
  position: 'Position',
  present: 'Present',
  properties: 'Properties',
  q: 'Search',
  reason: 'Reason',
  required: 'Required',
  requiredCreditHours: 'Required credit hours',
  requiredSessions: 'Required sessions',
  role: 'Role',
  shareConsent: 'Consent to share',
  sort: 'Sort',
  startsAt: 'Start',
  status: 'Status',
  table: 'Table',
  tag: 'Tag',
  title: 'Title',
  to: 'End',
  type: 'Type',
  unitId: 'Unit',
  unitIds: 'Units',
  userIds: 'People',
  username: 'Staff number',
  weeklyDigest: 'Weekly digest',
  year: 'Year',
  behind: 'Only those behind',
  page: 'Page',
  pageSize: 'Page size',
  courseId: 'Course',
  anonymous: 'Anonymous',
  reply: 'Reply',
  mine: 'Mine only',
  open: 'Open',
  pinned: 'Pinned',
  locked: 'Locked',
  hidden: 'Hidden',
  featured: 'Featured',
  recommended: 'Recommended',
  explanation: 'Explanation',
  shuffleOptions: 'Shuffle options',
  showAnswersAfterSubmit: 'Show answers after submitting',
  grading: 'Grading',
  minPostLength: 'Minimum post length',
  u: 'Video link',
  e: 'Video link expiry',
  s: 'Video link signature',
  sectionId: 'Section',
  creditHours: 'Credit hours',
  opensAt: 'Opens',
  closesAt: 'Closes',
  audience: 'Audience',
  requiredForCertificate: 'Required before the certificate',
  all: 'All secretaries',
  dueAt: 'Due',
  durationSeconds: 'Video length',
  completionPercent: 'Completion percent',
  minReflectionLength: 'Minimum reflection length',
  reflectionNeedsApproval: 'Reflection needs approval',
  passPercent: 'Pass mark',
  maxAttempts: 'Attempts',
  timeLimitMinutes: 'Time limit',
  questions: 'Questions',
  prompt: 'Question text',
  options: 'Options',
  points: 'Points',
  minPosts: 'Minimum posts',
  minReplies: 'Minimum replies',
  location: 'Place',
  speaker: 'Speaker',
  bank: 'Question bank draws',
  keys: 'Question keys',
  draws: 'Random draws',
  tags: 'Tags',
  count: 'Count',
  at: 'Time',
  seconds: 'Seconds',
  // the handbook's records
  heldAt: 'Held at',
  place: 'Place',
  chair: 'Chaired by',
  recorder: 'Recorded by',
  attendance: 'Attendance',
  absent: 'Absent members',
  memberId: 'Member',
  minutes: 'Minutes',
  resolutions: 'Resolutions',
  planItemId: 'Plan item',
  recordId: 'Handbook record',
  comment: 'Review comment',
  field: 'Field to correct',
  value: 'Corrected value',
  items: 'Items',
  month: 'Month',
  minCount: 'Minimum count',
  per: 'Period',
  branchKinds: 'Branch kinds',
  requires: 'Record must hold',
  category: 'Member category',
  joinedAt: 'Joined',
  includeLeft: 'Include members who left',
  // assessment
  indicators: 'Indicators',
  weight: 'Weight',
  source: 'Scoring',
  measure: 'Data source',
  target: 'Full-score standard',
  bands: 'Grade bands',
  grade: 'Grade',
  min: 'Lowest score',
  excellentCap: 'Cap on the share graded excellent',
  schemeYear: 'Scheme year',
  scores: 'Scores',
  score: 'Score',
  accept: 'Decision',
  state: 'State',
};

/** `questions.1.prompt` → "Questions, item 2: Question text". */
function fieldName(path: string): string {
  return path
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? `item ${Number(part) + 1}` : (fieldsEn[part] ?? 'This field')))
    .join(', ')
    .replace(/, (item \d+), /g, ', $1: ');
}

/** An input problem in English, from its field and rule (the server's sentence is Chinese). */
export function problemEn(problem: InputProblem): string {
  const label = fieldName(problem.field);
  const p = (problem.params ?? {}) as Record<string, unknown>;
  switch (problem.rule) {
    case 'required':
      return `${label} is required`;
    case 'notEmpty':
      return `${label} must not be empty`;
    case 'string':
      return `${label} must be text`;
    case 'number':
      return `${label} must be a number`;
    case 'integer':
      return `${label} must be a whole number`;
    case 'boolean':
      return `${label} must be yes or no`;
    case 'array':
      return `${label} must be a list`;
    case 'min':
      return `${label} must be at least ${p.min}`;
    case 'max':
      return `${label} must be at most ${p.max}`;
    case 'minLength':
      return `${label} needs at least ${p.min} characters`;
    case 'maxLength':
      return `${label} may have at most ${p.max} characters`;
    case 'minItems':
      return `${label} needs at least ${p.min} items`;
    case 'maxItems':
      return `${label} may have at most ${p.max} items`;
    case 'oneOf':
      return `${label} is not one of the choices`;
    case 'email':
      return `${label} is not a valid email address`;
    case 'dateTime':
      return `${label} is not a valid date and time`;
    case 'dateTimeWithOffset':
      return `${label} must be a date and time with its time zone, e.g. 2026-09-01T08:00:00+08:00`;
    case 'id':
      return `${label} is not a valid id`;
    case 'code':
      return `${label} may hold letters, digits, _ . and - only, up to 50`;
    case 'username':
      return `${label} may hold letters, digits, _ . @ and - only, up to 64`;
    case 'phone':
      return `${label} may hold digits, spaces and + - ( ) only, 5 to 32 of them`;
    case 'digits':
      return `${label} must be ${p.length ?? ''} digits`.replace('  ', ' ');
    case 'decimals':
      return `${label} may have at most ${p.decimals} decimal place(s)`;
    case 'unknownField':
      return `The field ${problem.field} is not accepted`;
    case 'date':
      return `${label} must be a date, e.g. 2021-07-01`;
    case 'normKind':
      return `${label} may hold lower-case letters, digits and _ only, starting with a letter, up to 40`;
    case 'indicatorKey':
      return `${label} may hold lower-case letters, digits, _ and - only, starting with a letter, up to 40`;
    default:
      return `${label} is not in the right format`;
  }
}
