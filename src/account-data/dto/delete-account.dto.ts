import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, Validate, ValidateIf } from 'class-validator';
import { OnlyOneFactor } from '../../mfa/dto/mfa.dto';

/** Optional fields may be left out, never sent as null (null is a 422, like any other wrong type). */
export class DeleteAccountDto {
  @ApiProperty({ example: 'correct-horse-battery', description: 'Your current password' })
  @IsString()
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({
    example: '123456',
    description: 'When two-factor authentication is on: the 6-digit code of the authenticator app',
  })
  @ValidateIf((o: DeleteAccountDto) => o.code !== undefined)
  @IsString()
  @MaxLength(16)
  code?: string;

  @ApiPropertyOptional({
    example: 'abcd-efgh-ijkl-mnop',
    description: 'When two-factor authentication is on: one of the recovery codes, instead of code',
  })
  @ValidateIf((o: DeleteAccountDto) => o.recovery_code !== undefined)
  @IsString()
  @MaxLength(64)
  @Validate(OnlyOneFactor)
  recovery_code?: string;
}
