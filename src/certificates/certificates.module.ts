import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { OrgModule } from '../org/org.module';
import { ProgressModule } from '../progress/progress.module';
import { SurveysDataModule } from '../surveys/surveys-data.module';
import { UsersModule } from '../users/users.module';
import { CertificateCompiler } from './certificate-compiler.service';
import { CertificateFiles } from './certificate-files.service';
import { CertificatesOnClose } from './certificates-on-close.listener';
import { CertificatesController, CourseCertificatesController } from './certificates.controller';
import { CertificatesProcessor } from './certificates.processor';
import { CertificatesRepository } from './certificates.repository';
import { CertificatesService } from './certificates.service';

/** Completion certificates (结业证书): compiled by the worker, downloaded, bundled and verified through the API. */
@Module({
  imports: [CoursesModule, EnrollmentsModule, ProgressModule, SurveysDataModule, UsersModule, OrgModule],
  controllers: [CourseCertificatesController, CertificatesController],
  providers: [CertificatesRepository, CertificateFiles, CertificateCompiler, CertificatesService, CertificatesProcessor, CertificatesOnClose],
})
export class CertificatesModule {}
