import { Injectable, PipeTransform } from '@nestjs/common';
import { inputException, problem } from '../common/validation-errors';
import { MAX_WORK_YEAR, MIN_WORK_YEAR } from './beijing-calendar';

/** A `:year` in a path: a whole year between 2000 and 2100, or a 400 that says so. */
@Injectable()
export class YearPipe implements PipeTransform<string | number, number> {
  transform(value: string | number): number {
    // The global pipe may already have turned the text into a number (the parameter is typed `number`).
    const text = String(value);
    if (!/^\d{4}$/.test(text)) throw inputException([problem('year', 'integer')]);
    const year = Number(text);
    if (year < MIN_WORK_YEAR) throw inputException([problem('year', 'min', { min: MIN_WORK_YEAR })]);
    if (year > MAX_WORK_YEAR) throw inputException([problem('year', 'max', { max: MAX_WORK_YEAR })]);
    return year;
  }
}
