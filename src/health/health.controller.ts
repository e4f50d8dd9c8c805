import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public, SkipAudit } from '../common/decorators';
import { APP_VERSION } from '../common/version';

class HealthDto {
  @ApiProperty({ example: 'healthy' }) status!: 'healthy';
  @ApiProperty({ example: '2025-11-13T04:26:27.968Z' }) timestamp!: string;
  @ApiProperty({ example: APP_VERSION }) version!: string;
}

class ReadyDto {
  @ApiProperty({ example: 'ready' }) status!: 'ready';
  @ApiProperty({ example: { database: 'up' } }) checks!: Record<string, 'up'>;
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
  ) {}

  @Get()
  @ApiOkResponse({ type: RootDto })
  root(): RootDto {
    return { message: 'Lanterne Rouge API', version: APP_VERSION, docs: '/docs' };
  }

  /** Liveness: the process answers. */
  @Get('healthz')
  @ApiOkResponse({ type: HealthDto })
  healthz(): HealthDto {
    return { status: 'healthy', timestamp: new Date().toISOString(), version: APP_VERSION };
  }

  /** Readiness: the database answers a trivial query. */
  @Get('readyz')
  @ApiOkResponse({ type: ReadyDto })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down' })
  async readyz(): Promise<ReadyDto> {
    try {
      await this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
    } catch {
      throw new ServiceUnavailableException('Not ready: database unavailable');
    }
    return { status: 'ready', checks: { database: 'up' } };
  }
}
