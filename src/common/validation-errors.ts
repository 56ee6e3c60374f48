import { BadRequestException, NotFoundException, type ValidationPipeOptions } from '@nestjs/common';
import { getMetadataStorage, type ValidationError } from 'class-validator';
import type { z } from 'zod';

/**
 * Invalid input, described so that a person can read it and a client can map it: every problem names its
 * field (`errors[].field`, a path such as `questions.0.prompt`), the rule it broke (`rule`) and the rule's
 * numbers (`params`); `message` says the same in Chinese with the field's Chinese name. The web shows its
 * own words for `field` + `rule` in the page's language (web/src/errors.ts), never validator text or keys.
 */
export interface InputProblem {
  field: string;
  rule: InputRule;
  params?: Record<string, number | string | string[]>;
  message: string;
}

export type InputRule =
  | 'required'
  | 'notEmpty'
  | 'type'
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'array'
  | 'object'
  | 'min'
  | 'max'
  | 'minLength'
  | 'maxLength'
  | 'minItems'
  | 'maxItems'
  | 'oneOf'
  | 'email'
  | 'dateTime'
  | 'dateTimeWithOffset'
  | 'id'
  | 'code'
  | 'username'
  | 'phone'
  | 'digits'
  | 'decimals'
  | 'unknownField'
  | 'format'
  | 'moreThan'
  | 'questionKey'
  | 'after'
  | 'insidePeriod'
  | 'optionIndex'
  | 'optionIndexes'
  | 'answerText'
  | 'insideVideo'
  | 'needsQuestions'
  | 'notApplicable'
  | 'unchangeable'
  | 'unknownId'
  | 'notInCourse'
  | 'oneOfFields'
  | 'wrongCode'
  | 'noSuchQuestion'
  | 'unknownIdInUnit'
  | 'branchOutsideUnit'
  | 'notInThread'
  | 'notLearners'
  | 'date'
  | 'normKind'
  | 'indicatorKey';

/** The Chinese name of every field a request may carry; a field missing here fails field-labels.spec.ts. */
export const FIELD_LABELS: Record<string, string> = {
  active: '启用状态',
  activityId: '学习活动',
  additionalProperties: '其他字段',
  allSecretaries: '全体支部书记',
  answer: '答案',
  answers: '答案',
  activities: '学习任务',
  atSeconds: '出现时间',
  file: '视频文件',
  id: '题目编号',
  settings: '设置',
  body: '正文',
  branchId: '党支部',
  branchIds: '党支部',
  checkpoints: '检查点',
  code: '编码',
  currentPassword: '当前密码',
  decision: '审核结论',
  description: '简介',
  deviceId: '设备',
  draft: '草稿',
  dryRun: '试运行',
  email: '邮箱',
  endsAt: '结束时间',
  excellent: '优秀',
  feedback: '评语',
  force: '强制',
  format: '文件格式',
  from: '起点',
  graceDays: '补学天数',
  makeUpPolicy: '补学方式',
  makeUpUntil: '补学截止时间',
  instructorIds: '授课教师',
  key: '题目标识',
  kind: '类型',
  mustChangePassword: '须修改密码',
  name: '名称',
  names: '名称',
  newPassword: '新密码',
  order: '排序方向',
  parentId: '回复对象',
  password: '密码',
  phone: '手机号',
  position: '位置',
  present: '出勤',
  properties: '属性',
  q: '搜索词',
  reason: '原因',
  required: '必修',
  requiredCreditHours: '要求学时',
  requiredSessions: '要求出勤次数',
  role: '角色',
  shareConsent: '同意分享',
  sort: '排序',
  startsAt: '开始时间',
  status: '状态',
  table: '报表',
  tag: '标签',
  title: '标题',
  to: '终点',
  type: '类型',
  unitId: '二级党组织',
  unitIds: '二级党组织',
  userIds: '人员',
  username: '工号',
  weeklyDigest: '每周摘要',
  year: '年度',
  behind: '只看落后',
  page: '页码',
  courseId: '培训班',
  anonymous: '匿名',
  reply: '回复',
  mine: '只看我的',
  open: '开放',
  pinned: '置顶',
  locked: '锁定',
  hidden: '隐藏',
  featured: '精选',
  recommended: '已推荐',
  explanation: '解析',
  shuffleOptions: '选项乱序',
  showAnswersAfterSubmit: '交卷后显示答案',
  grading: '评分方式',
  minPostLength: '帖子最少字数',
  // a signed video link's parts
  u: '视频链接',
  e: '视频链接有效期',
  s: '视频链接签名',
  pageSize: '每页条数',
  // activity settings (zod schemas in access/activity-settings.ts)
  sectionId: '单元',
  creditHours: '学时',
  opensAt: '开放时间',
  closesAt: '结束时间',
  audience: '问卷对象',
  requiredForCertificate: '结业前必答',
  all: '全体书记',
  dueAt: '截止时间',
  durationSeconds: '视频时长',
  completionPercent: '完成比例',
  minReflectionLength: '心得最少字数',
  reflectionNeedsApproval: '心得需审核',
  passPercent: '及格分数线',
  maxAttempts: '答题次数',
  timeLimitMinutes: '答题时限',
  questions: '题目',
  prompt: '题干',
  options: '选项',
  points: '分值',
  minPosts: '最少发帖数',
  minReplies: '最少回帖数',
  location: '地点',
  speaker: '主讲人',
  bank: '题库抽题',
  keys: '题目标识',
  draws: '随机抽题',
  tags: '标签',
  count: '数量',
  at: '时间点',
  seconds: '秒数',
  // the handbook's records (一册)
  heldAt: '举行时间',
  place: '地点',
  chair: '主持人',
  recorder: '记录人',
  attendance: '出席情况',
  absent: '缺席人员',
  memberId: '党员',
  minutes: '会议记录',
  resolutions: '决议',
  planItemId: '年度计划事项',
  recordId: '工作纪实',
  comment: '审核意见',
  field: '更正项',
  value: '更正内容',
  // branch work (norms, member lists, annual plans)
  items: '条目',
  month: '月份',
  minCount: '最少次数',
  per: '周期',
  branchKinds: '适用支部类型',
  requires: '纪实须含内容',
  category: '党员类别',
  joinedAt: '入党时间',
  includeLeft: '包括已离开的党员',
  // assessment (考核评估): schemes, rounds, scores
  indicators: '考核指标',
  weight: '权重',
  source: '评分方式',
  measure: '数据来源',
  target: '满分标准',
  bands: '等次分数线',
  grade: '等次',
  min: '最低分',
  excellentCap: '优秀比例上限',
  schemeYear: '考核办法年度',
  scores: '评分',
  score: '得分',
  accept: '是否同意',
  state: '状态',
};

/** The label of a field path: `questions.0.prompt` → 题目第 1 项的题干. */
export function fieldLabel(path: string): string {
  const parts = path.split('.');
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (/^\d+$/.test(part)) {
      words.push(`第 ${Number(part) + 1} 项`);
      if (i < parts.length - 1) words.push('的');
    } else {
      words.push(FIELD_LABELS[part] ?? '该项');
    }
  }
  return words.join('');
}

/** The patterns DTOs check with @Matches, by what they mean; a pattern missing here fails validation-errors.spec.ts. */
export const PATTERN_RULES = new Map<string, InputRule>([
  [String.raw`^[1-9]\d{0,18}$`, 'id'],
  [String.raw`T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$`, 'dateTimeWithOffset'],
  [String.raw`^[A-Za-z0-9_.@-]{1,64}$`, 'username'],
  [String.raw`^[0-9+\-() ]{5,32}$`, 'phone'],
  [String.raw`^[A-Za-z0-9_.-]{1,50}$`, 'code'],
  [String.raw`^\d{6}$`, 'digits'],
  [String.raw`^[\w.-]{1,80}$`, 'questionKey'],
  [String.raw`^\d{4}-\d{2}-\d{2}$`, 'date'],
  [String.raw`^[a-z][a-z0-9_]{0,39}$`, 'normKind'],
  [String.raw`^[a-z][a-z0-9_-]{0,39}$`, 'indicatorKey'],
]);

/** Chinese for a problem; `params` fill in the numbers. */
export function problemMessage(field: string, rule: InputRule, params: InputProblem['params'] = {}): string {
  const label = fieldLabel(field);
  const p = params as Record<string, string | number | string[]>;
  switch (rule) {
    case 'required':
      return `请填写${label}`;
    case 'notEmpty':
      return `${label}不能为空`;
    case 'string':
      return `${label}应为文字`;
    case 'number':
      return `${label}应为数字`;
    case 'integer':
      return `${label}应为整数`;
    case 'boolean':
      return `${label}应为“是”或“否”`;
    case 'array':
      return `${label}应为列表`;
    case 'object':
      return `${label}格式不正确`;
    case 'type':
      return `${label}的类型不正确`;
    case 'min':
      return `${label}不能小于 ${p.min}`;
    case 'max':
      return `${label}不能大于 ${p.max}`;
    case 'minLength':
      return `${label}至少 ${p.min} 个字`;
    case 'maxLength':
      return `${label}不能超过 ${p.max} 个字`;
    case 'minItems':
      return `${label}至少要有 ${p.min} 项`;
    case 'maxItems':
      return `${label}最多 ${p.max} 项`;
    case 'oneOf':
      return `${label}的取值不在可选范围内`;
    case 'email':
      return `${label}不是有效的邮箱地址`;
    case 'dateTime':
      return `${label}不是有效的日期时间`;
    case 'dateTimeWithOffset':
      return `${label}须为带时区的日期时间，例如 2026-09-01T08:00:00+08:00`;
    case 'id':
      return `${label}不是有效的编号`;
    case 'code':
      return `${label}只能由字母、数字和 _ . - 组成，最多 50 个字符`;
    case 'username':
      return `${label}只能由字母、数字和 _ . @ - 组成，最多 64 个字符`;
    case 'phone':
      return `${label}只能包含数字、空格和 + - ( )，5 到 32 个字符`;
    case 'digits':
      return `${label}应为 ${p.length ?? ''} 位数字`.replace('  ', ' ');
    case 'decimals':
      return `${label}最多保留 ${p.decimals} 位小数`;
    case 'unknownField':
      return `不接受字段 ${field}`;
    case 'moreThan':
      return `${label}须大于 ${p.min}`;
    case 'questionKey':
      return `${label}只能由字母、数字和 _ . - 组成，最多 80 个字符`;
    case 'after':
      return `${label}须晚于${fieldLabel(String(p.field))}`;
    case 'insidePeriod':
      return `${label}须在培训期内（${p.from} 至 ${p.to}）`;
    case 'optionIndex':
      return `${label}须为其中一个选项的序号`;
    case 'optionIndexes':
      return `${label}须为若干选项序号组成的列表`;
    case 'answerText':
      return `${label}须为一段文字或若干段文字组成的列表`;
    case 'insideVideo':
      return `${label}须在视频时长之内`;
    case 'needsQuestions':
      return `${label}至少要有一道：自带题目、从题库选题或随机抽题均可`;
    case 'notApplicable':
      return `该类型的学习任务不接受字段 ${field}`;
    case 'unchangeable':
      return `${label}不能修改`;
    case 'unknownId':
      return `${label}中有不存在的记录：${[p.ids].flat().join('、')}`;
    case 'unknownIdInUnit':
      return `${label}中有不存在或不在您所管单位的记录：${[p.ids].flat().join('、')}`;
    case 'branchOutsideUnit':
      return `所选党支部不属于所选${label}`;
    case 'notInThread':
      return `${label}不在这个主题中`;
    case 'notLearners':
      return `${label}中有不是本班学员的人：${[p.ids].flat().join('、')}`;
    case 'notInCourse':
      return `${label}不属于该培训班`;
    case 'oneOfFields':
      return `请至少填写${[p.fields].flat().map((f) => fieldLabel(String(f))).join('、')}中的一项`;
    case 'noSuchQuestion':
      return `${label}没有对应的题目`;
    case 'wrongCode':
      return `${label}不正确或已过期`;
    case 'date':
      return `${label}须为日期，例如 2021-07-01`;
    case 'normKind':
      return `${label}只能由小写字母、数字和 _ 组成，以字母开头，最多 40 个字符`;
    case 'indicatorKey':
      return `${label}只能由小写字母、数字、_ 和 - 组成，以字母开头，最多 40 个字符`;
    case 'format':
    default:
      return `${label}的格式不正确`;
  }
}

const CONSTRAINT_RULES: Record<string, InputRule> = {
  isDefined: 'required',
  isNotEmpty: 'notEmpty',
  arrayNotEmpty: 'notEmpty',
  isString: 'string',
  isNumber: 'number',
  isInt: 'integer',
  isBoolean: 'boolean',
  isArray: 'array',
  isObject: 'object',
  min: 'min',
  max: 'max',
  minLength: 'minLength',
  maxLength: 'maxLength',
  arrayMinSize: 'minItems',
  arrayMaxSize: 'maxItems',
  isIn: 'oneOf',
  isEnum: 'oneOf',
  isEmail: 'email',
  isIso8601: 'dateTime',
  isISO8601: 'dateTime',
  isDateString: 'dateTime',
  whitelistValidation: 'unknownField',
  matches: 'format',
};

function constraintArgs(target: object | undefined, property: string, name: string): unknown[] {
  if (!target) return [];
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find((m) => m.propertyName === property && m.name === name);
  return metadata?.constraints ?? [];
}

function ruleOf(error: ValidationError, name: string): { rule: InputRule; params?: InputProblem['params'] } {
  const args = constraintArgs(error.target, error.property, name);
  switch (name) {
    case 'min':
      return { rule: 'min', params: { min: Number(args[0]) } };
    case 'max':
      return { rule: 'max', params: { max: Number(args[0]) } };
    case 'minLength':
      return { rule: 'minLength', params: { min: Number(args[0]) } };
    case 'maxLength':
      return { rule: 'maxLength', params: { max: Number(args[0]) } };
    case 'arrayMinSize':
      return { rule: 'minItems', params: { min: Number(args[0]) } };
    case 'arrayMaxSize':
      return { rule: 'maxItems', params: { max: Number(args[0]) } };
    case 'isIn':
      return { rule: 'oneOf', params: { allowed: (Array.isArray(args[0]) ? args[0] : []).map(String) } };
    case 'isNumber': {
      const decimals = (args[0] as { maxDecimalPlaces?: number } | undefined)?.maxDecimalPlaces;
      return typeof error.value === 'number' && decimals !== undefined ? { rule: 'decimals', params: { decimals } } : { rule: 'number' };
    }
    case 'matches': {
      const pattern = args[0] instanceof RegExp ? args[0].source : String(args[0] ?? '');
      const rule = PATTERN_RULES.get(pattern) ?? 'format';
      const digits = /^\^\\d\{(\d+)\}\$$/.exec(pattern);
      return { rule, params: digits ? { length: Number(digits[1]) } : undefined };
    }
    default:
      return { rule: CONSTRAINT_RULES[name] ?? 'format' };
  }
}

function flatten(errors: ValidationError[], prefix = ''): InputProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.keys(error.constraints ?? {}).map((name) => {
      // A missing value breaks every rule of its field at once: say only that it is missing.
      const { rule, params } = ruleOf(error, name);
      return { field, rule, params, message: problemMessage(field, rule, params) } satisfies InputProblem;
    });
    const missing = error.value === undefined && own.length > 0 && !own.some((p) => p.rule === 'unknownField');
    const problems = missing ? [{ field, rule: 'required' as const, message: problemMessage(field, 'required') }] : own;
    return [...problems, ...flatten(error.children ?? [], field)];
  });
}

const BEIJING = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' });

/** A moment as people here read it: Beijing time, `2026-09-01 08:00`. */
export function beijingTime(at: Date): string {
  return BEIJING.format(at);
}

/** A problem in words: the shortest way to build one. */
export function problem(field: string, rule: InputRule, params?: InputProblem['params']): InputProblem {
  return params ? { field, rule, params, message: problemMessage(field, rule, params) } : { field, rule, message: problemMessage(field, rule) };
}

const ZOD_TYPE_RULES: Record<string, InputRule> = {
  string: 'string',
  number: 'number',
  int: 'integer',
  boolean: 'boolean',
  array: 'array',
  object: 'object',
};

/** The value at a path of the parsed input, to tell a missing field from a wrong one. */
function valueAt(input: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), input);
}

/**
 * Zod's issues as input problems (zod's own messages are English and never shown). Custom issues carry
 * their rule in `params.rule` (see access/activity-settings.ts); one without a known rule keeps its own
 * message, which the schema writes in Chinese.
 */
export function zodProblems(error: z.ZodError, input?: unknown, root = 'body'): InputProblem[] {
  return error.issues.flatMap((issue): InputProblem[] => {
    const path = issue.path.map(String).join('.');
    const field = path || root;
    switch (issue.code) {
      case 'too_small': {
        const min = Number(issue.minimum);
        if (issue.origin === 'string') return [min <= 1 ? problem(field, 'notEmpty') : problem(field, 'minLength', { min })];
        if (issue.origin === 'array' || issue.origin === 'set') return [problem(field, 'minItems', { min })];
        return [problem(field, issue.inclusive === false ? 'moreThan' : 'min', { min })];
      }
      case 'too_big': {
        const max = Number(issue.maximum);
        if (issue.origin === 'string') return [problem(field, 'maxLength', { max })];
        if (issue.origin === 'array' || issue.origin === 'set') return [problem(field, 'maxItems', { max })];
        return [problem(field, 'max', { max })];
      }
      case 'invalid_type':
        if (input !== undefined && valueAt(input, issue.path) === undefined) return [problem(field, 'required')];
        return [problem(field, ZOD_TYPE_RULES[issue.expected] ?? 'type')];
      case 'invalid_union':
        return [problem(field, 'type')];
      case 'invalid_format':
        if (issue.format === 'datetime') return [problem(field, 'dateTimeWithOffset')];
        if (issue.format === 'regex' && issue.pattern) return [problem(field, PATTERN_RULES.get(issue.pattern.replace(/^\/|\/$/g, '')) ?? 'format')];
        return [problem(field, 'format')];
      case 'invalid_value':
        return [problem(field, 'oneOf', { allowed: issue.values.map(String) })];
      case 'unrecognized_keys':
        return issue.keys.map((key) => problem([path, key].filter(Boolean).join('.'), 'unknownField'));
      case 'custom': {
        const { rule, ...params } = (issue.params ?? {}) as { rule?: InputRule } & Record<string, string | number>;
        if (rule) return [problem(field, rule, Object.keys(params).length ? params : undefined)];
        return [{ field, rule: 'format', message: issue.message }];
      }
      default:
        return [problem(field, 'format')];
    }
  });
}

/**
 * The one shape of a 400 for invalid input, from any validator. A rule the service checks (an unknown
 * section, a wrong check-in code) keeps its own stable code; the problems say which field and why.
 */
export function inputException(problems: InputProblem[], code = 'VALIDATION_FAILED'): BadRequestException {
  return new BadRequestException({ message: problems.map((p) => p.message), code, errors: problems });
}

/** The same shape as a 404: what the request names does not exist (or is not visible to the caller). */
export function unknownTargetsException(problems: InputProblem[], code: string): NotFoundException {
  return new NotFoundException({ message: problems.map((p) => p.message), code, errors: problems });
}

/** The ValidationPipe's exceptionFactory. */
export function validationException(errors: ValidationError[]): BadRequestException {
  return inputException(flatten(errors));
}

/** How every request body and query is checked: by the global pipe, and by the login guard that runs before pipes. */
export const VALIDATION_PIPE_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
  // The factory reads each rule's numbers from the DTO's metadata (target) and tells a missing field (value).
  validationError: { target: true, value: true },
  exceptionFactory: validationException,
};
