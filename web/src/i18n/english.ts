/** Everything English in one chunk, loaded when a user first chooses English. */
export { en } from './en';
export { errorsEn } from './errors.en';
export { problemEn } from './problems.en';
