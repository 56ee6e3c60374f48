/** The one HTTP client of the web interface: bearer token, JSON, and the API's error shape. */
import createClient from 'openapi-fetch';
import type { InputProblem } from '../i18n/input-problem';
import type { paths } from './schema';
import type { Me, PlanProblem, Role } from './types';

export type { Me, PlanProblem, Role };

export type { InputProblem };

const TOKEN_KEY = 'bst.token';

export interface ApiErrorBody {
  statusCode: number;
  error?: string;
  message?: string | string[];
  code?: string;
  problems?: PlanProblem[];
  /** Import rows that failed (`row`), or a 400's input problems (`field`, `rule`, `params`). */
  errors?: Array<{ row: number; message: string } | InputProblem>;
  [extra: string]: unknown;
}


export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(Array.isArray(body.message) ? body.message.join('；') : (body.message ?? body.error ?? `HTTP ${status}`));
  }

  get code(): string | undefined {
    return this.body.code;
  }

  get messages(): string[] {
    const m = this.body.message;
    return Array.isArray(m) ? m : m ? [m] : [this.message];
  }

  /** A 400's input problems, each naming its field. */
  get problems(): InputProblem[] {
    return (this.body.errors ?? []).filter((e): e is InputProblem => typeof (e as InputProblem).field === 'string');
  }

  /**
   * Input problems by the top-level field they concern (`questions.0.prompt` → `questions`), and the rest.
   * Older answers name the field in the message itself ("creditHours: must not be negative").
   */
  fieldErrors(describe: (problem: InputProblem) => string = (problem) => problem.message): { fields: Record<string, string[]>; other: string[] } {
    const fields: Record<string, string[]> = {};
    const other: string[] = [];
    if (this.status !== 400) return { fields, other: this.messages };
    if (this.problems.length) {
      for (const problem of this.problems) (fields[problem.field.split('.')[0]] ??= []).push(describe(problem));
      return { fields, other };
    }
    for (const message of this.messages) {
      const match = /^([A-Za-z][\w.]*): (.+)$/s.exec(message);
      if (match) (fields[match[1]] ??= []).push(match[2]);
      else other.push(message);
    }
    return { fields, other };
  }
}

type Listener = (reason: 'expired' | 'password') => void;
let listener: Listener | undefined;

export const session = {
  token(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  },
  setToken(token: string | null): void {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  },
  /** The app is told when a token stops working (401) or a password change is required (403). */
  onInterrupt(fn: Listener): void {
    listener = fn;
  },
};

/** A request's query string, as values (empty ones are left out). */
export type QueryParams = Record<string, string | number | boolean | undefined | null>;

interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: QueryParams;
  /** Answer as a Blob (file downloads). */
  blob?: boolean;
  /** Do not treat 401 as an expired login (the login form itself). */
  anonymous?: boolean;
  /** Let the request outlive the page (sent while the page is hidden or left). */
  keepalive?: boolean;
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

/**
 * Sends one request with the caller's bearer token. A refusal becomes an ApiError (a 401 tells the session the
 * login expired, a 403 PASSWORD_CHANGE_REQUIRED that a new password is due) and a lost connection NETWORK.
 */
async function exchange(request: Request, anonymous = false): Promise<Response> {
  const token = session.token();
  if (token && !anonymous) request.headers.set('authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(request);
  } catch {
    throw new ApiError(0, { statusCode: 0, message: 'NETWORK', code: 'NETWORK' });
  }
  if (!response.ok) {
    let errorBody: ApiErrorBody;
    try {
      errorBody = (await response.json()) as ApiErrorBody;
    } catch {
      errorBody = { statusCode: response.status, message: response.statusText || `HTTP ${response.status}` };
    }
    const error = new ApiError(response.status, errorBody);
    // A wrong current password (password change) is a 401 too, but the login still works.
    if (response.status === 401 && !anonymous && token && error.code !== 'BAD_CURRENT_PASSWORD') listener?.('expired');
    if (response.status === 403 && error.code === 'PASSWORD_CHANGE_REQUIRED') listener?.('password');
    throw error;
  }
  return response;
}

/**
 * The client generated from the API's OpenAPI document (web/src/api/schema.d.ts, `npm run web:api`): paths,
 * parameters, bodies and answers are typed. Its requests go through `exchange`, so they carry the token and fail
 * with the same ApiError as `api()`; `answer()` takes the typed data out.
 */
export const client = createClient<paths>({ fetch: (request) => exchange(request) });

/** The data of a typed request that succeeded (a refusal has already been thrown as an ApiError). */
export async function answer<Data>(request: Promise<{ data?: Data }>): Promise<Data> {
  return (await request).data as Data;
}

export async function api<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: options.blob ? '*/*' : 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const request = new Request(withQuery(`/api${path}`, options.query), { method: options.method ?? 'GET', headers, body, keepalive: options.keepalive });
  const response = await exchange(request, options.anonymous);
  if (options.blob) return (await response.blob()) as T;
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Saves a Blob as a file through a temporary object URL. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetches a file with the bearer token and saves it. */
export async function download(path: string, filename: string, query?: RequestOptions['query']): Promise<void> {
  saveBlob(await api<Blob>(path, { blob: true, query }), filename);
}

export interface Page<T> {
  items: T[];
  total: number;
  page?: number;
  pageSize?: number;
}

/** The API's largest page: lists are paged, and a list longer than this is read page by page. */
const MAX_PAGE_SIZE = 100;

/**
 * Every item of a paged list, for choices that must offer all of them (the units in a select, the courses in a
 * filter): pages of 100 are read until the total is reached, so the 101st unit is never silently missing.
 */
export async function apiAll<T>(path: string, query: RequestOptions['query'] = {}): Promise<Page<T>> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const answer = await api<Page<T>>(path, { query: { ...query, page, pageSize: MAX_PAGE_SIZE } });
    items.push(...answer.items);
    if (items.length >= answer.total || answer.items.length < MAX_PAGE_SIZE) return { items, total: answer.total };
  }
}
