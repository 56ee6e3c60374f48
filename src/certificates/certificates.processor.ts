import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler } from '../jobs/job-handler.decorator';
import type { JobPayloads } from '../jobs/jobs';
import { CertificateCompiler } from './certificate-compiler.service';

/**
 * Compiles certificates in the worker: the compile job issues them and fans out render jobs by serial range,
 * which every worker shares; a retried or duplicated job finds the work done and issues or renders nothing.
 */
@Injectable()
export class CertificatesProcessor {
  constructor(private readonly compiler: CertificateCompiler) {}

  @JobHandler('certificates.compile')
  compile(payload: JobPayloads['certificates.compile'], job: Job) {
    return this.compiler.run(payload, job);
  }

  @JobHandler('certificates.render')
  render(payload: JobPayloads['certificates.render'], job: Job) {
    return this.compiler.render(payload, job);
  }
}
