/**
 * The API's answers the web shares across features, by the names the pages use: all generated from the OpenAPI
 * document (schema.d.ts, `npm run web:api`), so a changed answer shows up in the typecheck.
 */
import type { components } from './schema';

type Schemas = components['schemas'];

export type ActivityType = Schemas['ActivityResponse']['type'];
export type CourseStatus = Schemas['CourseResponse']['status'];
export type MakeUpPolicy = Schemas['CourseResponse']['makeUpPolicy'];
/** Where an activity honestly stands for the learner (GET /courses/:id/progress, the learning record). */
export type Standing = Schemas['ActivityProgressResponse']['standing'];
export type MyActivityProgress = Schemas['ActivityProgressResponse'];
export type Course = Schemas['CourseResponse'];
export type CourseDetail = Schemas['CourseDetailResponse'];
export type Section = Schemas['CourseDetailSectionResponse'];
export type Activity = Schemas['ActivityResponse'];
export type ActivitySummary = Activity;
export type Schedule = Schemas['ScheduleResponse'];
export type ScheduleItem = Schemas['ScheduleItemResponse'];
export type ProgressSummary = Schemas['CourseProgressResponse'];
export type PlanProblem = Schemas['PlanProblemResponse'];
export type Me = Schemas['UserResponse'];
export type Role = Me['role'];

/** One of the API's answers (or bodies) by its name in the OpenAPI document. */
export type Schema<Name extends keyof Schemas> = Schemas[Name];
