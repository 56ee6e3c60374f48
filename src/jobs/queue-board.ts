import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import { Controller, HttpCode, Inject, Injectable, Post, Res } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHmac } from 'node:crypto';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import { assertDepartment, AuthUser } from '../common/auth-user';
import { safeEqual } from '../common/safe-equal';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { TokenUsersService } from '../users/token-users.service';
import { QUEUES } from './jobs';
import { QueueSessionResponse } from './dto/queue-session.response';

export const QUEUE_BOARD_PATH = '/api/admin/queues';
const COOKIE = 'bst_queues';
const TTL_SECONDS = 15 * 60;

/**
 * The queue board (@bull-board) is a page a browser opens, so it cannot carry the bearer header. A department
 * admin first calls POST /api/admin/queue-session (bearer): the answer sets a short-lived, HMAC-signed,
 * HttpOnly, SameSite=Strict cookie scoped to the board's path. Every board request checks the signature, the
 * expiry and that the user is still an active department admin.
 */
@Injectable()
export class QueueBoardSessions {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokenUsers: TokenUsersService,
  ) {}

  issue(userId: string, now = Date.now()): { cookie: string; expiresAt: Date } {
    const expires = Math.floor(now / 1000) + TTL_SECONDS;
    const value = `${userId}.${expires}.${this.sign(userId, expires)}`;
    const secure = this.config.http.publicUrl.startsWith('https:') ? '; Secure' : '';
    return {
      cookie: `${COOKIE}=${value}; Path=${QUEUE_BOARD_PATH}; Max-Age=${TTL_SECONDS}; HttpOnly; SameSite=Strict${secure}`,
      expiresAt: new Date(expires * 1000),
    };
  }

  /** True when the request carries a valid cookie of a user who is still an active department admin. */
  async verify(cookieHeader: string | undefined): Promise<boolean> {
    const value = (cookieHeader ?? '')
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.startsWith(`${COOKIE}=`))
      ?.slice(COOKIE.length + 1);
    const [userId, expires, signature] = value?.split('.') ?? [];
    if (!userId || !/^\d{1,20}$/.test(userId) || !/^\d{1,12}$/.test(expires ?? '') || !signature) return false;
    if (!safeEqual(signature, this.sign(userId, Number(expires))) || Number(expires) * 1000 < Date.now()) return false;
    // The token user: active only, and dropped in every process the moment a role, unit or account changes.
    const user = await this.tokenUsers.findActive(userId);
    return !!user && user.role === 'admin' && user.unitId === null;
  }

  private sign(userId: string, expires: number): string {
    return createHmac('sha256', this.config.auth.jwtSecret).update(`queue-board.${userId}.${expires}`).digest('base64url');
  }
}

@ApiTags('operations')
@Controller('admin/queue-session')
@Authenticated('admin')
export class QueueBoardController {
  constructor(private readonly sessions: QueueBoardSessions) {}

  /** Opens the queue board for 15 minutes in this browser: then visit /api/admin/queues. Department admins only. */
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: QueueSessionResponse, description: 'also sets the board’s session cookie' })
  open(@CurrentUser() actor: AuthUser, @Res({ passthrough: true }) reply: FastifyReply) {
    assertDepartment(actor, '查看任务队列');
    const { cookie, expiresAt } = this.sessions.issue(actor.id);
    void reply.header('set-cookie', cookie);
    return { url: QUEUE_BOARD_PATH, expiresAt };
  }
}

/** Mounts the board on the API's Fastify instance, behind the cookie check. Call before app.init(). */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const sessions = app.get(QueueBoardSessions);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: QUEUES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false }))),
    // @bull-board/fastify bundles its own copy of @bull-board/api (9.10.1 vs 9.10.2): same shape, distinct types.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: '任务队列' } },
  });
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!(await sessions.verify(request.headers.cookie))) {
        return reply.code(401).send({
          statusCode: 401,
          error: 'Unauthorized',
          message: '请以组织部管理员身份从提醒投递页面打开任务队列',
          code: 'QUEUE_BOARD_SESSION_REQUIRED',
        });
      }
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}
