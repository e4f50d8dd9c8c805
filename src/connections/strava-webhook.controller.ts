import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Audit } from '../audit/audit.decorators';
import { Public, Operation } from '../common/decorators';
import { StravaWebhookEventDto, WebhookAcceptedDto, WebhookChallengeDto } from './dto/strava-webhook.dto';
import { WebhookCheckQueryDto } from './dto/webhook-check-query.dto';
import { StravaWebhookService } from './strava-webhook.service';
import { ErrorResponseDto } from '../common/error-response.dto';

@ApiTags('connections')
@Public()
@Controller('webhooks/strava')
export class StravaWebhookController {
  constructor(private readonly webhook: StravaWebhookService) {}

  @Audit('webhook.strava.verify', { resource: 'webhook' })
  @Get()
  @Operation({
    id: 'verifyStravaWebhook',
    summary: "Strava's subscription check",
    description: 'Echoes hub.challenge when hub.verify_token is the one configured (STRAVA_WEBHOOK_VERIFY_TOKEN).',
  })
  @ApiOkResponse({ type: WebhookChallengeDto })
  @ApiForbiddenResponse({ description: 'Webhook verification failed', type: ErrorResponseDto })
  verify(@Query() query: WebhookCheckQueryDto): WebhookChallengeDto {
    return this.webhook.verifySubscription(query);
  }

  @Audit('webhook.strava.event', { resource: 'webhook' })
  @Post()
  @Operation({
    id: 'receiveStravaEvent',
    summary: 'Receive a Strava event',
    description: 'Called by Strava: the event is stored at once (each event once) and processed in the background.',
  })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: WebhookAcceptedDto })
  async receive(@Body() dto: StravaWebhookEventDto): Promise<WebhookAcceptedDto> {
    await this.webhook.receive(dto);
    return { status: 'received' };
  }
}
