import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReadingAttachment } from './reading-attachment.entity';

/** The PDF attachments of readings (the files themselves are in storage). */
@Injectable()
export class ReadingAttachmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(values: Pick<ReadingAttachment, 'activityId' | 'storageKey' | 'fileName' | 'sizeBytes' | 'uploadedBy'>): Promise<ReadingAttachment> {
    return this.dataSource.getRepository(ReadingAttachment).save(values);
  }

  async findById(id: string): Promise<ReadingAttachment | null> {
    return this.dataSource.getRepository(ReadingAttachment).findOneBy({ id });
  }

  /** A reading's attachments in upload order. */
  async findByActivity(activityId: string): Promise<ReadingAttachment[]> {
    return this.dataSource.getRepository(ReadingAttachment).find({ where: { activityId }, order: { id: 'ASC' } });
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.getRepository(ReadingAttachment).delete({ id });
  }
}
