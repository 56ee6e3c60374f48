import { BadRequestException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * How deeply a JSON body may nest. The deepest real body (an activity's quiz questions with their options)
 * nests five levels; class-transformer and class-validator recurse once per level, so a body thousands of
 * levels deep overflowed the stack and answered 500.
 */
export const MAX_JSON_DEPTH = 32;

type Done = (error: Error | null, value?: unknown) => void;
/** The callback form of Fastify's content-type parsers (what `getDefaultJsonParser` returns). */
export type CallbackBodyParser<Body> = (request: FastifyRequest, body: Body, done: Done) => void;

/**
 * The JSON body parser of every route: Fastify's own (`fastifyJsonParser`: secure-json-parse, `__proto__` and
 * `constructor` keys refused) plus the depth bound, with errors that carry a stable code and a Chinese
 * message. It runs before Fastify's schema validation and Nest's ValidationPipe, so neither ever sees a body
 * deeper than the bound.
 */
export function boundedJsonParser(fastifyJsonParser: CallbackBodyParser<string>): CallbackBodyParser<Buffer> {
  return (request, body, done) => {
    if (body.length === 0) {
      done(new BadRequestException({ message: '请求体为空：请发送 JSON 内容，或去掉 Content-Type 请求头', code: 'EMPTY_BODY' }));
      return;
    }
    fastifyJsonParser(request, body.toString('utf8'), (error, value) => {
      if (error) {
        done(new BadRequestException({ message: '请求体不是有效的 JSON（可能不完整，或含有不允许的 __proto__、constructor 键）', code: 'INVALID_JSON' }));
      } else if (body.length > 2 * MAX_JSON_DEPTH && nestsDeeperThan(value, MAX_JSON_DEPTH)) {
        // Nesting n levels takes at least 2n characters, so the hot path's small bodies skip the walk.
        done(new BadRequestException({ message: `请求体嵌套超过 ${MAX_JSON_DEPTH} 层，无法处理`, code: 'BODY_TOO_DEEP' }));
      } else {
        done(null, value);
      }
    });
  };
}

/** Iterative (a recursive walk would overflow on the very bodies it guards against); stops at the limit. */
export function nestsDeeperThan(root: unknown, limit: number): boolean {
  if (typeof root !== 'object' || root === null) return false;
  const pending: object[] = [root];
  const depths: number[] = [1];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        pending.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
