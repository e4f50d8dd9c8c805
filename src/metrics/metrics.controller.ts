import {
  Controller,
  ForbiddenException,
  Get,
  Headers,
  Inject,
  NotFoundException,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../common/decorators';
import { SkipAudit } from '../audit/audit.decorators';
import { AppConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Prometheus text format; off with METRICS_ENABLED=false, behind a bearer token when METRICS_TOKEN is set. */
  @Public()
  @SkipAudit()
  @Get()
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description:
      'Prometheus text exposition format (text/plain; version=0.0.4). Off (404) with METRICS_ENABLED=false; ' +
      'when METRICS_TOKEN is set, send it as "Authorization: Bearer <METRICS_TOKEN>".',
  })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    if (!this.config.METRICS_ENABLED) {
      throw new NotFoundException('Not found');
    }
    const token = this.config.METRICS_TOKEN;
    if (token) {
      if (!authorization) {
        throw new ForbiddenException('Not authenticated');
      }
      const given = Buffer.from(authorization.replace(/^Bearer\s+/i, ''));
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new UnauthorizedException('Invalid metrics token');
      }
    }
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
