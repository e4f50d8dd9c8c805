import { Body, Controller, HttpCode, HttpStatus, Patch } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiTags } from '@nestjs/swagger';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentSessionId, CurrentUser, Operation } from '../common/decorators';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import type { User } from '../users/user.entity';
import { ChangeEmailDto, DetailDto } from './dto/account.dto';
import { EmailVerificationService } from './email-verification.service';
import { ErrorResponseDto } from '../common/error-response.dto';

@ApiTags('users')
@BearerAuth()
@Controller('users')
export class EmailChangeController {
  constructor(private readonly verification: EmailVerificationService) {}

  // A wrong current password counts as a failed login for the account and the address.
  @Audit('user.email_change', { resource: 'user' })
  @RateLimit('login-account', 'login-address')
  @Patch('me/email')
  @Operation({
    id: 'changeEmail',
    summary: 'Change your email',
    description:
      'Needs your password. A confirmation link goes to the new address, which takes effect once the link is used; the old address gets a notice.',
  })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: DetailDto })
  @ApiBadRequestResponse({
    description: 'Current password is incorrect, or Email already registered',
    type: ErrorResponseDto,
  })
  changeEmail(
    @CurrentUser() user: User,
    @CurrentSessionId() sessionId: number,
    @Body() dto: ChangeEmailDto,
  ): Promise<DetailDto> {
    return this.verification.requestEmailChange(user, sessionId, dto.new_email, dto.current_password);
  }
}
