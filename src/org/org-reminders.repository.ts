import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What reminders ask of the units table. */
@Injectable()
export class OrgRemindersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for reminders

  async unitName(id: string): Promise<string | null> {
    const [row] = await this.dataSource.query(`SELECT name FROM units WHERE id = ?`, [id]);
    return row ? String(row.name) : null;
  }
}
