import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentUser, Public, Operation } from '../common/decorators';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import type { User } from '../users/user.entity';
import { INVALID_TOKEN } from './account-tokens.service';
import { DetailDto, ForgotPasswordDto, ResetPasswordDto, VerifyEmailDto } from './dto/account.dto';
import { EmailVerificationService } from './email-verification.service';
import { PasswordResetService } from './password-reset.service';
import { ErrorResponseDto } from '../common/error-response.dto';

/** Getting back in (password reset) and proving an address (verification, email change), by mail. */
@ApiTags('auth')
@Controller('auth')
export class AccountRecoveryController {
  constructor(
    private readonly reset: PasswordResetService,
    private readonly verification: EmailVerificationService,
  ) {}

  @Public()
  @Audit('password_forgot', { resource: 'user' })
  @RateLimit('password-forgot')
  @Post('password/forgot')
  @Operation({
    id: 'forgotPassword',
    summary: 'Mail a password reset link',
    description: 'The same answer, in the same time, whether or not the account exists. Rate limited per address.',
  })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: DetailDto })
  forgot(@Body() dto: ForgotPasswordDto): DetailDto {
    return this.reset.forgot(dto.email);
  }

  @Public()
  @Audit('password_reset', { resource: 'user' })
  @Post('password/reset')
  @Operation({
    id: 'resetPassword',
    summary: 'Reset a password with the mailed token',
    description:
      'Sets a new password with the single-use token from the mail; every session of the account is revoked.',
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Password changed' })
  @ApiBadRequestResponse({ description: INVALID_TOKEN, type: ErrorResponseDto })
  resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.reset.reset(dto.token, dto.new_password);
  }

  @Public()
  @Audit('email_verify', { resource: 'user' })
  @Post('verify-email')
  @Operation({
    id: 'verifyEmail',
    summary: 'Confirm an email address',
    description: 'Confirms an address with the single-use token from the mail: a new account, or an email change.',
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Address confirmed' })
  @ApiBadRequestResponse({ description: `${INVALID_TOKEN}, or Email already registered`, type: ErrorResponseDto })
  verifyEmail(@Body() dto: VerifyEmailDto): Promise<void> {
    return this.verification.verify(dto.token);
  }

  @BearerAuth()
  @Audit('email_verification_resend', { resource: 'user' })
  @Post('verify-email/resend')
  @Operation({
    id: 'resendVerificationEmail',
    summary: 'Mail a new verification link',
    description: 'Sends a new verification link to your address; the older link stops working.',
  })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: DetailDto })
  @ApiBadRequestResponse({ description: 'Email already verified', type: ErrorResponseDto })
  resend(@CurrentUser() user: User): Promise<DetailDto> {
    return this.verification.resend(user);
  }
}
