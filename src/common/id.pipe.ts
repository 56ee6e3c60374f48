import { NotFoundException, Injectable, PipeTransform } from '@nestjs/common';

/** Ids are unsigned bigints carried as strings; anything else cannot name a record, so it is a 404 (never a 500). */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^[1-9]\d{0,18}$/.test(value)) {
      throw new NotFoundException({
        message: '要找的内容不存在',
        code: 'NOT_FOUND',
      });
    }
    return value;
  }
}
