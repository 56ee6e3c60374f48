import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { Dependency, OUTAGE_ANSWERS, OutageLog, unreachableDependency } from './dependency-outage';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const DEFAULT_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** How long a client is asked to wait before retrying while a dependency is down. */
const OUTAGE_RETRY_AFTER_SECONDS = 5;

export interface ErrorBody {
  statusCode: number;
  error: string | Record<string, unknown>;
  message: string | string[];
  code: string;
  [extra: string]: unknown;
}

/**
 * Every error leaves in Nest's shape `{statusCode, error, message}` plus a stable machine `code`.
 * Database constraint violations caused by input become 4xx; an unreachable MySQL or Redis is a 503 naming
 * it; anything unexpected is a 500 without internals.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpException');
  private readonly outages = new OutageLog(this.logger);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const unreachable = unreachableDependency(exception);
    const body = unreachable ? this.outage(unreachable, exception as Error) : this.toBody(exception);
    if (unreachable) {
      void reply.header('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
    } else if (body.statusCode >= 500 && body.statusCode !== HttpStatus.SERVICE_UNAVAILABLE) {
      // A 503 is a deliberate answer (health naming a failing dependency), logged where it is decided.
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (body.statusCode === 429 && typeof body.retryAfterSeconds === 'number') {
      void reply.header('Retry-After', String(body.retryAfterSeconds));
    }
    // A refused Range tells the client the real size, as RFC 9110 asks.
    if (body.statusCode === 416 && typeof body.contentRange === 'string') {
      void reply.header('Content-Range', body.contentRange);
    }
    // A route that had already chosen another type (a video, a file) would refuse to send a JSON error.
    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const extra = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
      const message =
        typeof response === 'string' ? response : ((extra.message as string | string[] | undefined) ?? exception.message);
      // Health checks (terminus) answer 503 with `error` naming each failing dependency: keep that object.
      const failing = typeof extra.error === 'object' && extra.error !== null ? (extra.error as Record<string, unknown>) : null;
      return {
        ...extra,
        statusCode: status,
        error: failing ?? REASONS[status] ?? (extra.error as string) ?? 'Error',
        message: failing ? `Unavailable: ${Object.keys(failing).join(', ')}` : message,
        code: (extra.code as string) ?? DEFAULT_CODES[status] ?? `HTTP_${status}`,
      };
    }
    if (exception instanceof QueryFailedError) {
      const driverCode = (exception.driverError as { code?: string } | undefined)?.code;
      switch (driverCode) {
        case 'ER_DUP_ENTRY':
          return this.plain(409, '已有相同的记录（名称、编号等不能重复）', 'DUPLICATE');
        case 'ER_NO_REFERENCED_ROW':
        case 'ER_NO_REFERENCED_ROW_2':
          return this.plain(400, '引用的记录不存在', 'UNKNOWN_REFERENCE');
        case 'ER_ROW_IS_REFERENCED':
        case 'ER_ROW_IS_REFERENCED_2':
          return this.plain(409, '该记录仍在使用中', 'IN_USE');
        case 'ER_BAD_NULL_ERROR':
          // class-validator's @IsOptional lets null through; a column that needs a value refuses it.
          return this.plain(400, '有字段的值不能为 null：不修改的字段请不要发送', 'NULL_NOT_ALLOWED');
        case 'ER_DATA_TOO_LONG':
          return this.plain(400, '有字段的值过长', 'VALUE_TOO_LONG');
        case 'ER_TRUNCATED_WRONG_VALUE':
        case 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD':
        case 'ER_WARN_DATA_OUT_OF_RANGE':
          return this.plain(400, '有字段的值格式不正确或超出范围', 'BAD_VALUE');
      }
    }
    // Errors raised by Fastify and its plugins (body too large, bad content type, multipart limits) carry a 4xx.
    const statusCode = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return this.plain(statusCode, (exception as Error).message, (exception as { code?: string }).code ?? DEFAULT_CODES[statusCode] ?? `HTTP_${statusCode}`);
    }
    return this.plain(HttpStatus.INTERNAL_SERVER_ERROR, '服务器内部错误，请稍后重试', 'INTERNAL_ERROR');
  }

  /** 503 naming the dependency; logged once per burst, not per request. */
  private outage(dependency: Dependency, error: Error): ErrorBody {
    const { code, message } = OUTAGE_ANSWERS[dependency];
    this.outages.report(dependency, error, `answering 503 ${code}`);
    return this.plain(HttpStatus.SERVICE_UNAVAILABLE, message, code);
  }

  private plain(statusCode: number, message: string, code: string): ErrorBody {
    return { statusCode, error: REASONS[statusCode] ?? 'Error', message, code };
  }
}
