import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { CertificateCompiler } from './certificate-compiler.service';
import { CertificateFiles } from './certificate-files.service';
import { CertificatesController, CourseCertificatesController } from './certificates.controller';
import { CertificatesProcessor } from './certificates.processor';
import { CertificatesService } from './certificates.service';
import { CertificatesOnCloseListener } from './certificates-on-close.listener';

/** Completion certificates (结业证书): compiled by the worker, downloaded, bundled and verified through the API. */
@Module({
  imports: [CoursesModule],
  controllers: [CourseCertificatesController, CertificatesController],
  providers: [CertificateFiles, CertificateCompiler, CertificatesService, CertificatesProcessor, CertificatesOnCloseListener],
})
export class CertificatesModule {}
