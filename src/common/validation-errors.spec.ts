import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { z } from 'zod';
import { FIELD_LABELS, fieldLabel, PATTERN_RULES, validationException, zodProblems, type InputProblem } from './validation-errors';
import { CreateCourseDto } from '../courses/dto/course.dto';

/** Every DTO class in src/: loading their files registers their validation metadata. */
function loadAllDtos(): void {
  const src = join(__dirname, '..');
  for (const feature of readdirSync(src)) {
    const dir = join(src, feature, 'dto');
    let files: string[] = [];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    for (const file of files.filter((f) => f.endsWith('.ts'))) require(join(dir, file));
  }
}

describe('input problems in words', () => {
  loadAllDtos();
  const metadata = [...(getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, { propertyName: string; name?: string; constraints?: unknown[] }[]> }).validationMetadatas.values()].flat();

  it('names every field a request may carry in Chinese', () => {
    const unnamed = [...new Set(metadata.map((m) => m.propertyName))].filter((p) => !FIELD_LABELS[p]);
    expect(unnamed).toEqual([]);
  });

  it('knows what every @Matches pattern means', () => {
    const patterns = metadata.filter((m) => m.name === 'matches').map((m) => (m.constraints?.[0] as RegExp).source);
    expect([...new Set(patterns)].filter((p) => !PATTERN_RULES.has(p))).toEqual([]);
  });

  async function problemsFor(body: Record<string, unknown>): Promise<InputProblem[]> {
    const pipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, validationError: { target: true, value: true }, exceptionFactory: validationException });
    try {
      await pipe.transform(body, { type: 'body', metatype: CreateCourseDto });
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestException);
      const response = (error as BadRequestException).getResponse() as { code: string; message: string[]; errors: InputProblem[] };
      expect(response.code).toBe('VALIDATION_FAILED');
      expect(response.message).toEqual(response.errors.map((e) => e.message));
      return response.errors;
    }
    throw new Error('the body was accepted');
  }

  it('says what is wrong in Chinese, with the rule and its numbers for clients', async () => {
    const problems = await problemsFor({ title: '培训班', startsAt: '2026-09-01', endsAt: '2026-12-31T00:00:00+08:00', requiredCreditHours: -1, colour: 'red' });
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'startsAt', rule: 'dateTimeWithOffset', message: '开始时间须为带时区的日期时间，例如 2026-09-01T08:00:00+08:00' },
        { field: 'requiredCreditHours', rule: 'min', params: { min: 0 }, message: '要求学时不能小于 0' },
        { field: 'colour', rule: 'unknownField', message: '不接受字段 colour' },
      ]),
    );
    for (const problem of problems) expect(problem.message).not.toMatch(/must|should|\(/);
  });

  it('says a missing field is missing, once', async () => {
    const problems = await problemsFor({ startsAt: '2026-09-01T08:00:00+08:00', endsAt: '2026-12-31T00:00:00+08:00' });
    expect(problems.filter((p) => p.field === 'title')).toEqual([{ field: 'title', rule: 'required', message: '请填写标题' }]);
  });

  it('names positions in lists', () => {
    expect(fieldLabel('questions.1.prompt')).toBe('题目第 2 项的题干');
  });
});

describe('zod issues as input problems', () => {
  const schema = z
    .object({
      title: z.string().trim().min(1).max(5),
      points: z.number().positive().max(100),
      maxAttempts: z.number().int().min(1),
      kind: z.enum(['single', 'multiple']),
      sectionId: z.string().regex(/^[1-9]\d{0,18}$/),
      dueAt: z.iso.datetime({ offset: true }),
      options: z.array(z.string()).min(2),
      startsAt: z.string(),
      endsAt: z.string(),
    })
    .refine(() => false, { message: '须晚于开始时间', path: ['endsAt'], params: { rule: 'after', field: 'startsAt' } });

  it('turns every issue into a field, a rule and a Chinese sentence, never zod’s English', () => {
    const input = { title: '', points: 0, maxAttempts: 1.5, kind: 'text', sectionId: '0', dueAt: '2026-09-01', options: ['a'], startsAt: 'x' };
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    expect(zodProblems(result.error!, input)).toEqual([
      { field: 'title', rule: 'notEmpty', message: '标题不能为空' },
      { field: 'points', rule: 'moreThan', params: { min: 0 }, message: '分值须大于 0' },
      { field: 'maxAttempts', rule: 'integer', message: '答题次数应为整数' },
      { field: 'kind', rule: 'oneOf', params: { allowed: ['single', 'multiple'] }, message: '类型的取值不在可选范围内' },
      { field: 'sectionId', rule: 'id', message: '单元不是有效的编号' },
      { field: 'dueAt', rule: 'dateTimeWithOffset', message: '截止时间须为带时区的日期时间，例如 2026-09-01T08:00:00+08:00' },
      { field: 'options', rule: 'minItems', params: { min: 2 }, message: '选项至少要有 2 项' },
      { field: 'endsAt', rule: 'required', message: '请填写结束时间' },
    ]);
  });

  it('takes a custom issue’s rule from its params', () => {
    const input = { title: 'a', points: 1, maxAttempts: 1, kind: 'single', sectionId: '1', dueAt: '2026-09-01T08:00:00+08:00', options: ['a', 'b'], startsAt: 'a', endsAt: 'b' };
    const result = schema.safeParse(input);
    expect(zodProblems(result.error!, input)).toEqual([{ field: 'endsAt', rule: 'after', params: { field: 'startsAt' }, message: '结束时间须晚于开始时间' }]);
  });
});
