import { DataSource } from 'typeorm';
import { Survey, SurveyRespondent } from '../../src/surveys/survey.entity';
import { uniq } from './org.factory';

const HOUR = 3600 * 1000;

/**
 * A survey written as a row, for service-level tests that run another module (reminders) without the HTTP API
 * (the API's own rules for creating and answering surveys are tested in surveys.e2e-spec.ts).
 */
export async function makeSurvey(ds: DataSource, overrides: Partial<Survey> & Pick<Survey, 'authorId' | 'audienceKind'>): Promise<Survey> {
  return ds.getRepository(Survey).save({
    title: `问卷${uniq()}`,
    anonymous: false,
    courseId: null,
    unitId: null,
    opensAt: new Date(Date.now() - HOUR),
    closesAt: new Date(Date.now() + 5 * 24 * HOUR),
    questions: [{ kind: 'scale', prompt: '总体评价', options: [], required: true }],
    certificateCourseId: null,
    ...overrides,
  } as Survey);
}

/** Records these people as having answered (who answered only, as answering does; no answer row). */
export async function markAnswered(ds: DataSource, surveyId: string, userIds: string[]): Promise<void> {
  await ds.getRepository(SurveyRespondent).insert(userIds.map((userId) => ({ surveyId, userId })));
}
