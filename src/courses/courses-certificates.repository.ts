import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Course } from './course.entity';

/** What certificates ask of the courses table. */
@Injectable()
export class CoursesCertificatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for certificates

  findById(id: string): Promise<Course | null> {
    return this.dataSource.getRepository(Course).findOneBy({ id });
  }
}
