import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/access.decorators';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mysql: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  /** 200 when MySQL and Redis answer; 503 with the failing one named under `error`. */
  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.mysql.pingCheck('mysql', { timeout: 1500 }),
      () => this.redis.isHealthy('redis'),
      () => this.redis.workers('workers'),
    ]);
  }
}
