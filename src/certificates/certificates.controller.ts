import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiFoundResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser, Public } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { CertificateCompiler } from './certificate-compiler.service';
import { CertificatesService } from './certificates.service';
import { CertificateScopeQuery, CompileQuery, ListCertificatesQuery, ReissueCertificateDto, RevokeCertificateDto } from './dto/certificate.dto';
import { CertificatePageResponse, CertificateResponse, CertificateVerificationResponse, ClosePreviewResponse, CompileProgressResponse, CompileRequestedResponse, MyCertificatesResponse } from './dto/certificate.response';

function attachment(fileName: string, ascii: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** A course's certificates: compile, follow the compile, list, bundle, summary (admins). */
@ApiTags('certificates')
@Controller('courses/:id/certificates')
export class CourseCertificatesController {
  constructor(
    private readonly compiler: CertificateCompiler,
    private readonly certificates: CertificatesService,
  ) {}

  /** Queues the compile; 409 before the course closes unless the department forces it (`?force=true`). */
  @Post('compile')
  @HttpCode(202)
  @Authenticated('admin')
  @ApiAcceptedResponse({ type: CompileRequestedResponse })
  compile(@Param('id', IdPipe) id: string, @Query() query: CompileQuery, @CurrentUser() actor: AuthUser) {
    return this.compiler.request(id, actor, query.force === 'true');
  }

  /** done/total and the state of one compile run. */
  @Get('compile/:jobId')
  @Authenticated('admin')
  @ApiOkResponse({ type: CompileProgressResponse })
  progress(@Param('id', IdPipe) id: string, @Param('jobId') jobId: string, @CurrentUser() actor: AuthUser) {
    return this.compiler.progress(id, jobId, actor);
  }

  @Get()
  @Authenticated('admin')
  @ApiOkResponse({ type: CertificatePageResponse })
  list(@Param('id', IdPipe) id: string, @Query() query: ListCertificatesQuery, @CurrentUser() actor: AuthUser) {
    return this.certificates.listForCourse(id, query, actor);
  }

  /** Every live certificate's PDF in one ZIP (or `?unitId=` / `?branchId=`), streamed as it is built. */
  @Get('bundle')
  @Authenticated('admin')
  @ApiProduces('application/zip')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async bundle(@Param('id', IdPipe) id: string, @Query() query: CertificateScopeQuery, @CurrentUser() actor: AuthUser, @Res() reply: FastifyReply) {
    const { archive, fileName } = await this.certificates.bundle(id, query, actor);
    return reply.header('content-type', 'application/zip').header('content-disposition', attachment(fileName, `certificates-${id}.zip`)).send(archive);
  }

  /** Counts by unit and branch as an Excel workbook. */
  @Get('summary')
  @Authenticated('admin')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async summary(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser, @Res() reply: FastifyReply) {
    const { workbook, fileName } = await this.certificates.summaryXlsx(id, actor);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', attachment(fileName, `certificates-summary-${id}.xlsx`))
      .send(workbook);
  }
}

@ApiTags('certificates')
@Controller()
export class CertificatesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly compiler: CertificateCompiler,
  ) {}

  /** What closing the course would do for certificates (the department's 结业 confirmation). */
  @Get('courses/:id/close-preview')
  @Authenticated('admin')
  @ApiOkResponse({ type: ClosePreviewResponse })
  closePreview(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.compiler.closePreview(id, actor);
  }

  @Get('me/certificates')
  @Authenticated()
  @ApiOkResponse({ type: MyCertificatesResponse })
  mine(@CurrentUser() actor: AuthUser) {
    return this.certificates.listMine(actor);
  }

  /**
   * The public check behind the QR code: no login; an unknown or malformed code is the same 404. QR codes
   * printed before the web page existed lead here: a browser (it asks for HTML) is sent on to the page, which
   * reads this same JSON; programs keep getting JSON.
   */
  @Get('certificates/verify/:code')
  @Public()
  @ApiProduces('application/json')
  @ApiFoundResponse({ description: 'A browser (Accept: text/html) is redirected to the web page /verify/:code' })
  @ApiNotFoundResponse({ description: 'Unknown or malformed code' })
  @ApiOkResponse({ type: CertificateVerificationResponse })
  async verify(@Param('code') code: string, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply) {
    void reply.header('vary', 'Accept');
    if (accept?.includes('text/html')) return reply.redirect(`/verify/${encodeURIComponent(code)}`, 302);
    return reply.send(await this.certificates.verify(code));
  }

  @Get('certificates/:id/pdf')
  @Authenticated()
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async pdf(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser, @Res() reply: FastifyReply) {
    const { certificate, body, size } = await this.certificates.pdf(id, actor);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-length', String(size))
      .header('content-disposition', attachment(`结业证书-${certificate.serial}-${certificate.name}.pdf`, `certificate-${certificate.serial}.pdf`))
      .send(body);
  }

  @Post('certificates/:id/revoke')
  @HttpCode(200)
  @Authenticated('admin')
  @ApiOkResponse({ type: CertificateResponse })
  revoke(@Param('id', IdPipe) id: string, @Body() dto: RevokeCertificateDto, @CurrentUser() actor: AuthUser) {
    return this.certificates.revoke(id, dto.reason, actor);
  }

  @Post('certificates/:id/reissue')
  @Authenticated('admin')
  @ApiCreatedResponse({ type: CertificateResponse, description: 'the new certificate' })
  reissue(@Param('id', IdPipe) id: string, @Body() dto: ReissueCertificateDto, @CurrentUser() actor: AuthUser) {
    return this.certificates.reissue(id, dto.reason, actor);
  }
}
