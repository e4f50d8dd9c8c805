import { Controller, Get, Inject } from '@nestjs/common';
import type Redis from 'ioredis';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public, Operation } from '../common/decorators';
import { SkipAudit } from '../audit/audit.decorators';
import { APP_VERSION } from '../common/version';
import { REDIS } from '../redis/redis.module';
import { DatabaseFileCheck } from './database-file.check';
import { ErrorResponseDto } from '../common/error-response.dto';
import { apiError } from '../common/error-codes';

class HealthDto {
  @ApiProperty({ example: 'healthy' }) status!: 'healthy';
  @ApiProperty({ example: '2025-11-13T04:26:27.968Z' }) timestamp!: string;
  @ApiProperty({ example: APP_VERSION }) version!: string;
}

class ReadyDto {
  @ApiProperty({ example: 'ready' }) status!: 'ready';
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['up'] },
    description: 'Each dependency checked (database; redis when REDIS_URL is set)',
    example: { database: 'up', redis: 'up' },
  })
  checks!: Record<string, 'up'>;
}

class RootDto {
  @ApiProperty({ example: 'Lanterne Rouge API' }) message!: string;
  @ApiProperty({ example: APP_VERSION }) version!: string;
  @ApiProperty({ example: '/docs' }) docs!: string;
}

@ApiTags('health')
@Public()
@SkipAudit()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly databaseFile: DatabaseFileCheck,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  @Get()
  @Operation({
    id: 'getRoot',
    summary: 'API name and version',
    description: 'The API name, its version and where the docs are. No authentication.',
  })
  @ApiOkResponse({ type: RootDto })
  root(): RootDto {
    return { message: 'Lanterne Rouge API', version: APP_VERSION, docs: '/docs' };
  }

  /** Liveness: the process answers. */
  @Get('healthz')
  @Operation({
    id: 'getHealth',
    summary: 'Liveness',
    description: 'The process answers. No authentication, no audit row.',
  })
  @ApiOkResponse({ type: HealthDto })
  healthz(): HealthDto {
    return { status: 'healthy', timestamp: new Date().toISOString(), version: APP_VERSION };
  }

  /**
   * Readiness: the database answers a trivial query (and, on SQLite, its file is still in place and
   * writable), and Redis answers a PING when REDIS_URL is set.
   */
  @Get('readyz')
  @Operation({
    id: 'getReadiness',
    summary: 'Readiness',
    description:
      'The database answers a trivial query (on SQLite its file is still in place and writable), and Redis answers a PING when REDIS_URL is set; 503 otherwise.',
  })
  @ApiOkResponse({ type: ReadyDto })
  @ApiServiceUnavailableResponse({ description: 'The database (or Redis) is down', type: ErrorResponseDto })
  async readyz(): Promise<ReadyDto> {
    const checks: Record<string, 'up' | 'down'> = { database: 'up' };
    try {
      await this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
      if (!this.databaseFile.intact()) {
        checks.database = 'down';
      }
    } catch {
      checks.database = 'down';
    }
    if (this.redis) {
      checks.redis = (await this.pingRedis()) ? 'up' : 'down';
    }
    const down = Object.keys(checks).filter((name) => checks[name] === 'down');
    if (down.length > 0) {
      throw apiError('not_ready', `Not ready: ${down.join(' and ')} unavailable`);
    }
    return { status: 'ready', checks: checks as Record<string, 'up'> };
  }

  private async pingRedis(): Promise<boolean> {
    const redis = this.redis;
    if (!redis) {
      return true;
    }
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000).unref());
    return Promise.race([
      redis.ping().then(
        (pong) => pong === 'PONG',
        () => false,
      ),
      timeout,
    ]);
  }
}
