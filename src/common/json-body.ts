import { BadRequestException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * How deeply a JSON body may nest. The deepest real body (an activity's quiz questions with their options)
 * nests five levels; class-transformer and class-validator recurse once per level, so a body thousands of
 * levels deep overflowed the stack and answered 500.
 */
export const MAX_JSON_DEPTH = 32;
/**
 * How many keys one JSON object may have. The widest real object is a quiz's answers by question (a few
 * hundred at most); a body of 20,000 unknown keys kept the validator busy for 1.7 s listing each one.
 * Arrays are not bounded here: enrolment takes thousands of ids, and the body limit bounds them.
 */
export const MAX_JSON_KEYS = 1000;

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
      done(new BadRequestException({ message: '提交的内容是空的', code: 'EMPTY_BODY' }));
      return;
    }
    fastifyJsonParser(request, body.toString('utf8'), (error, value) => {
      if (error) {
        done(new BadRequestException({ message: '提交的内容格式不正确，无法读取', code: 'INVALID_JSON' }));
        return;
      }
      // Nesting n levels, or n keys, takes at least 2n characters, so the hot path's small bodies skip the walk.
      const shape = body.length > 2 * Math.min(MAX_JSON_DEPTH, MAX_JSON_KEYS) ? oversizedShape(value) : null;
      if (shape === 'deep') {
        done(new BadRequestException({ message: `请求体嵌套超过 ${MAX_JSON_DEPTH} 层，无法处理`, code: 'BODY_TOO_DEEP' }));
      } else if (shape === 'wide') {
        done(new BadRequestException({ message: `请求体中的一个对象超过 ${MAX_JSON_KEYS} 个字段，无法处理`, code: 'BODY_TOO_WIDE' }));
      } else {
        done(null, value);
      }
    });
  };
}

/**
 * Whether the body nests deeper than MAX_JSON_DEPTH or has an object with more than MAX_JSON_KEYS keys.
 * Iterative (a recursive walk would overflow on the very bodies it guards against); stops at the first find.
 */
export function oversizedShape(root: unknown): 'deep' | 'wide' | null {
  if (typeof root !== 'object' || root === null) return null;
  const pending: object[] = [root];
  const depths: number[] = [1];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const depth = depths.pop()!;
    if (depth > MAX_JSON_DEPTH) return 'deep';
    const children = Array.isArray(node) ? node : Object.values(node);
    if (!Array.isArray(node) && children.length > MAX_JSON_KEYS) return 'wide';
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        pending.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return null;
}
