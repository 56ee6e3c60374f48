import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsISO8601, IsNotEmpty, IsString, Matches, MaxLength, type ValidationOptions } from 'class-validator';

/**
 * One decorator made of several, applied as if written one above the other in this order (the lowest first, as
 * TypeScript applies them): the validators keep reporting a field's problems in the order they always have.
 */
export const stacked = (...decorators: PropertyDecorator[]) => applyDecorators(...[...decorators].reverse());

/** A string is trimmed before it is checked; anything else is left for the validators to refuse. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** Text that must be given: trimmed, then a string that is not empty and has at most `maxLength` characters. */
export const RequiredText = (maxLength: number) => stacked(Trim(), IsString(), IsNotEmpty(), MaxLength(maxLength));

/** A date-time with its offset: without one, 19:30 in Beijing and 19:30 UTC could not be told apart. */
const WITH_OFFSET = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An ISO 8601 date-time (strict, `T` between date and time) that names its offset (`Z`, `+08:00`). */
export const DateTimeWithOffset = (options?: ValidationOptions) =>
  stacked(IsISO8601({ strict: true, strictSeparator: true }, options), Matches(WITH_OFFSET, options));
