import { Global, Module } from '@nestjs/common';
import type { AuthUser } from '../../src/common/auth-user';
import { JobsService } from '../../src/jobs/jobs.service';
import type { User } from '../../src/users/user.entity';

/** The signed-in caller a guard would hand a service, for a user made by the factories. */
export function asActor(user: User): AuthUser {
  return { id: user.id, username: user.username, name: user.name, role: user.role, unitId: user.unitId, branchId: user.branchId, mustChangePassword: false };
}

/** The names of the jobs services queued through FakeJobsModule, in order. */
export const queuedJobs: string[] = [];

/** JobsService without Redis, for service-level tests: queuing records the job's name. */
@Global()
@Module({
  providers: [{ provide: JobsService, useValue: { enqueue: async (name: string) => (queuedJobs.push(name), { id: name }) } }],
  exports: [JobsService],
})
export class FakeJobsModule {}
