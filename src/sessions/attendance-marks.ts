import { Injectable } from '@nestjs/common';
import { ActivityMarksSource, type ActivityMarksReader } from '../progress/activity-marks';
import { AttendanceRepository } from './attendance.repository';

/** A session's mark in the learning record: the learner's attendance (present, absent, excused). */
@Injectable()
@ActivityMarksSource('session')
export class AttendanceMarks implements ActivityMarksReader {
  constructor(private readonly attendance: AttendanceRepository) {}

  marksOf(userId: string, activityIds: string[]): Promise<Map<string, string>> {
    return this.attendance.statusesOf(userId, activityIds);
  }
}
