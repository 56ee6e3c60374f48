import { ApiError } from '../api/client';
import type { Translate } from '../i18n';

export function toApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, { statusCode: 0, message: (e as Error)?.message ?? String(e) });
}

/** The words for a status when its code has none of its own. */
const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** The server's own sentence can be shown as it is: Chinese, with no English words in it. */
function isChineseSentence(text: string): boolean {
  return /\p{Script=Han}/u.test(text) && !/[A-Za-z]{3,}/.test(text.replace(/PDF|MP4|MOV|WebM|CSV|Excel|ZIP|HEIC|JPEG|PNG/g, ''));
}

/**
 * An API error in the page's language. Input problems are said field by field; otherwise, in Chinese, the
 * server's own sentence says the most (dates, counts, what to do), and English — or a server sentence that is
 * not plain Chinese — takes the web's words for the error's `code` (web/src/i18n/errors.*.ts), then for its status.
 */
export function errorText(error: ApiError, t: Translate): string {
  if (error.code === 'NETWORK') return t('networkError');
  if (error.problems.length) return error.problems.map((p) => t.problem(p)).join('；');
  const own = error.messages.join('；');
  if (t.lang === 'zh-CN' && isChineseSentence(own)) return own;
  return (error.code ? t.error(error.code) : undefined) ?? t.error(STATUS_CODES[error.status] ?? 'INTERNAL_ERROR') ?? t('networkError');
}
