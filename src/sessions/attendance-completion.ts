import type { ActivityOutcome } from '../progress/activity-outcome';
import type { AttendanceStatus } from './attendance.entity';

/** The session completion rule: present completes it (offline 学时); absent or excused after present reverses it. */
export function attendanceOutcome(status: AttendanceStatus): ActivityOutcome {
  return status === 'present' ? { kind: 'complete' } : { kind: 'reopen', reason: `attendance ${status}` };
}
