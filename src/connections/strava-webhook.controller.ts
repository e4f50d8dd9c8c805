import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audit } from '../audit/audit.decorators';
import { Public } from '../common/decorators';
import { StravaWebhookEventDto, WebhookAcceptedDto, WebhookChallengeDto } from './dto/strava-webhook.dto';
import { WebhookCheckQueryDto } from './dto/webhook-check-query.dto';
import { StravaWebhookService } from './strava-webhook.service';

@ApiTags('connections')
@Public()
@Controller('webhooks/strava')
export class StravaWebhookController {
  constructor(private readonly webhook: StravaWebhookService) {}

  @Audit('webhook.strava.verify', { resource: 'webhook' })
  @Get()
  @ApiOperation({ summary: "Strava's subscription check: echoes hub.challenge when hub.verify_token is ours" })
  @ApiOkResponse({ type: WebhookChallengeDto })
  @ApiForbiddenResponse({ description: 'Webhook verification failed' })
  verify(@Query() query: WebhookCheckQueryDto): WebhookChallengeDto {
    return this.webhook.verifySubscription(query);
  }

  @Audit('webhook.strava.event', { resource: 'webhook' })
  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A Strava event: stored at once (each once) and processed in the background' })
  @ApiOkResponse({ type: WebhookAcceptedDto })
  async receive(@Body() dto: StravaWebhookEventDto): Promise<WebhookAcceptedDto> {
    await this.webhook.receive(dto);
    return { status: 'received' };
  }
}
