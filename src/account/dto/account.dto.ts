import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { normalizedEmail } from '../../common/email';
import { NewPassword, PASSWORD_MAX, PASSWORD_MIN } from '../../users/password-rules';

/** A mailed token as it appears in the link: base64url text. */
function MailedToken(): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    ApiProperty({ description: 'The token from the mailed link', example: 'kT3w...' })(target, key);
    IsString()(target, key);
    MinLength(1)(target, key);
    MaxLength(256)(target, key);
    Matches(/^[A-Za-z0-9_-]*$/, { message: `${String(key)} must be the token from the mailed link` })(target, key);
  };
}

export class ForgotPasswordDto {
  @ApiProperty({ example: 'rider@example.com', maxLength: 254 })
  @Transform(normalizedEmail)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;
}

export class ResetPasswordDto {
  @MailedToken()
  token!: string;

  @ApiProperty({ example: 'a-new-long-password', minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @NewPassword()
  new_password!: string;
}

export class VerifyEmailDto {
  @MailedToken()
  token!: string;
}

export class ChangeEmailDto {
  @ApiProperty({ example: 'new-address@example.com', maxLength: 254 })
  @Transform(normalizedEmail)
  @IsEmail({}, { message: 'new_email must be a valid email address' })
  @MaxLength(254)
  new_email!: string;

  @ApiProperty({ example: 'correct-horse-battery' })
  @IsString()
  @MaxLength(1024)
  current_password!: string;
}

export class DetailDto {
  @ApiProperty({ example: 'If the account exists, an email is on its way' })
  detail!: string;
}
