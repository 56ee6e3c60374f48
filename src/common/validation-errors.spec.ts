import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FIELD_LABELS, fieldLabel, PATTERN_RULES, validationException, type InputProblem } from './validation-errors';
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
