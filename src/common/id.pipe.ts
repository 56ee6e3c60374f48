import { NotFoundException, Injectable, PipeTransform } from '@nestjs/common';

/** An id as the API carries it: an unsigned bigint as a string. */
export const ID_PATTERN = /^[1-9]\d{0,18}$/;

/** Ids are unsigned bigints carried as strings; anything else cannot name a record, so it is a 404 (never a 500). */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
      throw new NotFoundException({
        message: '要找的内容不存在',
        code: 'NOT_FOUND',
      });
    }
    return value;
  }
}
