import { Body, Controller, Header, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { BearerAuth, Client, ClientInfo, CurrentSessionId, CurrentUser, Public } from '../common/decorators';
import { Audit } from '../audit/audit.decorators';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { toUserResponse, UserResponseDto } from '../users/dto/user-response.dto';
import type { User } from '../users/user.entity';
import { AuthService } from './auth.service';
import { LoginDto, RefreshDto, RegisterDto, TokenPairDto } from './dto/credentials.dto';
import type { TokenPair } from './token.service';
import { MfaChallengeDto } from '../mfa/dto/mfa.dto';
import type { MfaChallengeAnswer } from '../mfa/mfa-login.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Audit('register', { resource: 'user' })
  @RateLimit('register')
  @Post('register')
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ description: 'Email already registered' })
  async register(@Body() dto: RegisterDto): Promise<UserResponseDto> {
    return toUserResponse(await this.auth.register(dto.email, dto.password));
  }

  @Public()
  @Audit('login', { resource: 'session', failureActions: { 401: 'login_failed' } })
  @RateLimit('login-account', 'login-address')
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiExtraModels(TokenPairDto, MfaChallengeDto)
  @ApiOkResponse({
    description: 'The token pair, or (account with two-factor authentication) an mfa_token for POST /auth/mfa/verify',
    schema: { oneOf: [{ $ref: getSchemaPath(TokenPairDto) }, { $ref: getSchemaPath(MfaChallengeDto) }] },
  })
  @ApiUnauthorizedResponse({ description: 'Incorrect email or password' })
  @ApiForbiddenResponse({ description: 'Account is inactive, or Email not verified' })
  login(@Body() dto: LoginDto, @Client() client: ClientInfo): Promise<TokenPair | MfaChallengeAnswer> {
    return this.auth.login(dto.email, dto.password, client);
  }

  @Public()
  @Audit('refresh', { resource: 'session' })
  @RateLimit('refresh')
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'Invalid, spent, revoked or wrong-type token' })
  refresh(@Body() dto: RefreshDto, @Client() client: ClientInfo): Promise<TokenPair> {
    return this.auth.refresh(dto.refresh_token, client);
  }

  @BearerAuth()
  @Audit('logout', { resource: 'session' })
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The current session is revoked' })
  logout(@CurrentSessionId() sessionId: number): Promise<void> {
    return this.auth.logout(sessionId);
  }

  @BearerAuth()
  @Audit('logout_all', { resource: 'session' })
  @Post('logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Every session of the user is revoked' })
  logoutAll(@CurrentUser() user: User): Promise<void> {
    return this.auth.logoutAll(user.id);
  }
}
