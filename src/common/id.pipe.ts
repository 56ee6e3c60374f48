import { NotFoundException, Injectable, PipeTransform } from '@nestjs/common';

/** Ids are unsigned bigints carried as strings; anything else cannot name a record, so it is a 404 (never a 500). */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: { data?: string }): string {
    if (typeof value !== 'string' || !/^[1-9]\d{0,18}$/.test(value)) {
      throw new NotFoundException({
        message: `${metadata.data ?? 'id'} is not a known id`,
        code: 'NOT_FOUND',
      });
    }
    return value;
  }
}
