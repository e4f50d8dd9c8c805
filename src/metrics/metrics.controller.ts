import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Operation, Public } from '../common/decorators';
import { ErrorResponseDto } from '../common/error-response.dto';
import { SkipAudit } from '../audit/audit.decorators';
import { AppConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';
import { apiError } from '../common/error-codes';

const PROMETHEUS_EXAMPLE =
  '# HELP http_requests_total HTTP requests by method, route and status code\n' +
  '# TYPE http_requests_total counter\n' +
  'http_requests_total{method="GET",route="/missions/:id",status_code="200"} 3\n';

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
  @Operation({
    id: 'getMetrics',
    summary: 'Prometheus metrics',
    description:
      'Request counts and latency by route and status, failed logins, rate-limited requests, LLM calls and ' +
      'tokens, process metrics, in the Prometheus text format. Off (404) with METRICS_ENABLED=false; when ' +
      'METRICS_TOKEN is set, send it as "Authorization: Bearer <METRICS_TOKEN>".',
    // Either no credentials (METRICS_TOKEN unset) or the metrics token.
    security: [{}, { metrics_token: [] }],
  })
  @ApiOkResponse({
    description: 'Prometheus text exposition format (text/plain; version=0.0.4)',
    content: { 'text/plain': { schema: { type: 'string', example: PROMETHEUS_EXAMPLE } } },
  })
  @ApiUnauthorizedResponse({
    description: 'METRICS_TOKEN is set and the bearer token sent is not it',
    type: ErrorResponseDto,
  })
  @ApiForbiddenResponse({
    description: 'METRICS_TOKEN is set and no Authorization header was sent',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({ description: 'Metrics are off (METRICS_ENABLED=false)', type: ErrorResponseDto })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    if (!this.config.METRICS_ENABLED) {
      throw apiError('not_found');
    }
    const token = this.config.METRICS_TOKEN;
    if (token) {
      if (!authorization) {
        throw apiError('not_authenticated');
      }
      const given = Buffer.from(authorization.replace(/^Bearer\s+/i, ''));
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw apiError('invalid_metrics_token');
      }
    }
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
