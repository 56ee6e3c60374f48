import { BadRequestException } from '@nestjs/common';
import { getMetadataStorage, type ValidationError } from 'class-validator';

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
  | 'format';

/** The Chinese name of every field a request may carry; a field missing here fails field-labels.spec.ts. */
export const FIELD_LABELS: Record<string, string> = {
  active: '启用状态',
  activityId: '学习活动',
  additionalProperties: '其他字段',
  allSecretaries: '全体支部书记',
  answer: '答案',
  answers: '答案',
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
  // activity settings (zod schemas in courses/activity-settings.ts)
  sectionId: '章节',
  creditHours: '学时',
  opensAt: '开放时间',
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

/** The one shape of a 400 for invalid input, from any validator. */
export function inputException(problems: InputProblem[]): BadRequestException {
  return new BadRequestException({ message: problems.map((p) => p.message), code: 'VALIDATION_FAILED', errors: problems });
}

/** The ValidationPipe's exceptionFactory. */
export function validationException(errors: ValidationError[]): BadRequestException {
  return inputException(flatten(errors));
}
