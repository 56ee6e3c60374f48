import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { Dependency, OUTAGE_ANSWERS, OutageLog, unreachableDependency } from './dependency-outage';
import { problem, type InputProblem, type InputRule } from './validation-errors';

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

/** What a person reads for a refusal that carries no words of ours (the framework's own). */
const DEFAULT_MESSAGES: Record<number, string> = {
  400: '请求有误，请检查后重试',
  401: '请先登录',
  403: '没有权限进行此操作',
  404: '要找的内容不存在',
  405: '不支持这种请求方式',
  409: '内容已发生变化，请刷新后重试',
  413: '提交的内容过大',
  415: '不支持这种内容格式',
  429: '操作过于频繁，请稍后再试',
  500: '服务器出错了，请稍后重试',
  503: '服务暂不可用，请稍后重试',
};

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
    const framework = fastifyErrorBody(exception);
    if (framework) return framework;
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
        // Our own exceptions always carry a code; one without is the framework's (an unknown route's "Cannot GET …").
        message: failing ? '部分依赖服务暂不可用' : extra.code ? message : (DEFAULT_MESSAGES[status] ?? message),
        code: (extra.code as string) ?? DEFAULT_CODES[status] ?? `HTTP_${status}`,
      };
    }
    if (exception instanceof QueryFailedError) {
      const driverCode = (exception.driverError as { code?: string } | undefined)?.code;
      switch (driverCode) {
        case 'ER_DUP_ENTRY':
          return this.plain(409, '该记录已存在', 'DUPLICATE');
        case 'ER_NO_REFERENCED_ROW':
        case 'ER_NO_REFERENCED_ROW_2':
          return this.plain(400, '引用的记录不存在，请刷新后重试', 'UNKNOWN_REFERENCE');
        case 'ER_ROW_IS_REFERENCED':
        case 'ER_ROW_IS_REFERENCED_2':
          return this.plain(409, '该记录正在使用，不能删除', 'IN_USE');
        case 'ER_BAD_NULL_ERROR':
          // class-validator's @IsOptional lets null through; a column that needs a value refuses it.
          return this.plain(400, '有必填的内容被清空了：不修改的内容请不要提交', 'NULL_NOT_ALLOWED');
        case 'ER_DATA_TOO_LONG':
          return this.plain(400, '填写的内容过长', 'VALUE_TOO_LONG');
        case 'ER_TRUNCATED_WRONG_VALUE':
        case 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD':
        case 'ER_WARN_DATA_OUT_OF_RANGE':
          return this.plain(400, '填写的内容格式不正确或超出范围', 'BAD_VALUE');
      }
    }
    // Errors raised by Fastify and its plugins (body too large, bad content type, multipart limits) carry a 4xx.
    const statusCode = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return this.plain(statusCode, DEFAULT_MESSAGES[statusCode] ?? DEFAULT_MESSAGES[400], DEFAULT_CODES[statusCode] ?? `HTTP_${statusCode}`);
    }
    return this.plain(HttpStatus.INTERNAL_SERVER_ERROR, '服务器出错了，请稍后重试', 'INTERNAL_ERROR');
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

interface FastifyError extends Error {
  code?: string;
  statusCode: number;
  validation?: AjvError[];
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/**
 * Fastify's own refusals in the shape and words of ours: a route schema's findings become input problems.
 * Nest hands most of them over wrapped in an HttpException whose cause is Fastify's error.
 */
function fastifyErrorBody(exception: unknown): ErrorBody | null {
  const error = (exception instanceof HttpException ? exception.cause : exception) as FastifyError | undefined;
  if (!(error instanceof Error) || typeof error.statusCode !== 'number' || error.statusCode >= 500) return null;
  const answer = (statusCode: number, message: string | string[], code: string, extra: Record<string, unknown> = {}): ErrorBody => ({
    statusCode,
    error: REASONS[statusCode] ?? 'Error',
    message,
    code,
    ...extra,
  });
  if (Array.isArray(error.validation)) {
    const problems = error.validation.map(ajvProblem);
    return answer(400, problems.map((p) => p.message), 'VALIDATION_FAILED', { errors: problems });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return answer(400, '提交的内容格式不正确，无法读取', 'INVALID_JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return answer(400, '提交的内容是空的', 'EMPTY_BODY');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return answer(415, '不支持这种内容格式', 'UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return answer(413, '提交的内容过大', 'PAYLOAD_TOO_LARGE');
  }
  // The JSON parser's own SyntaxError arrives as a 400 without a Fastify code.
  if (error instanceof SyntaxError) return answer(400, '提交的内容格式不正确，无法读取', 'INVALID_JSON');
  return null;
}

const AJV_TYPE_RULES: Record<string, InputRule> = { string: 'string', number: 'number', integer: 'integer', boolean: 'boolean', array: 'array', object: 'object' };

function ajvProblem(error: AjvError): InputProblem {
  const path = error.instancePath.split('/').filter(Boolean).join('.');
  const at = (child: unknown) => [path, String(child)].filter(Boolean).join('.');
  const field = path || 'body';
  const limit = Number(error.params.limit);
  switch (error.keyword) {
    case 'required':
      return problem(at(error.params.missingProperty), 'required');
    case 'additionalProperties':
      return problem(at(error.params.additionalProperty), 'unknownField');
    case 'type':
      return problem(field, AJV_TYPE_RULES[String(error.params.type)] ?? 'type');
    case 'minimum':
      return problem(field, 'min', { min: limit });
    case 'exclusiveMinimum':
      return problem(field, 'moreThan', { min: limit });
    case 'maximum':
    case 'exclusiveMaximum':
      return problem(field, 'max', { max: limit });
    case 'minLength':
      return problem(field, limit <= 1 ? 'notEmpty' : 'minLength', { min: limit });
    case 'maxLength':
      return problem(field, 'maxLength', { max: limit });
    case 'minItems':
      return problem(field, 'minItems', { min: limit });
    case 'maxItems':
      return problem(field, 'maxItems', { max: limit });
    case 'enum':
      return problem(field, 'oneOf', { allowed: ((error.params.allowedValues as unknown[]) ?? []).map(String) });
    default:
      return problem(field, 'format');
  }
}
