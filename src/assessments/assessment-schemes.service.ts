import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { assertDepartment, type AuthUser } from '../common/auth-user';
import { AssessmentSchemeRow } from './assessment.entity';
import { type AssessmentScheme, MEASURES, orderedBands, schemeProblem } from './assessment-scheme';
import { AssessmentsRepository } from './assessments.repository';
import type { SchemeDto } from './dto/assessment.dto';

/** The department's 考核评估办法 per year: stored as data, checked as a whole before it is kept. */
@Injectable()
export class AssessmentSchemesService {
  constructor(private readonly repository: AssessmentsRepository) {}

  find(year: number): Promise<AssessmentSchemeRow | null> {
    return this.repository.findScheme(year);
  }

  async get(year: number): Promise<AssessmentSchemeRow> {
    const row = await this.repository.findScheme(year);
    if (!row) throw new NotFoundException({ message: `${year} 年的考核评估办法尚未制定`, code: 'SCHEME_NOT_FOUND' });
    return row;
  }

  async replace(year: number, dto: SchemeDto, actor: AuthUser): Promise<AssessmentSchemeRow> {
    assertDepartment(actor, '制定考核评估办法');
    const scheme: AssessmentScheme = {
      indicators: dto.indicators.map((i) => ({
        key: i.key,
        name: i.name,
        weight: i.weight,
        source: i.source,
        ...(i.measure ? { measure: i.measure } : {}),
        ...(i.measure && (i.target ?? MEASURES[i.measure].target) !== null ? { target: i.target ?? MEASURES[i.measure].target! } : {}),
      })),
      bands: orderedBands(dto.bands.map((b) => ({ grade: b.grade, min: b.min }))),
      excellentCap: dto.excellentCap ?? null,
    };
    const problem = schemeProblem(scheme);
    if (problem) throw new BadRequestException(problem);
    const row = Object.assign(new AssessmentSchemeRow(), { year, scheme, updatedBy: actor.id, updatedAt: new Date() });
    await this.repository.saveScheme(row);
    return row;
  }
}
