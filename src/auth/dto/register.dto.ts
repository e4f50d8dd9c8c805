import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, MaxLength } from 'class-validator';
import { normalizedEmail } from '../../common/email';
import { NewPassword, PASSWORD_MAX, PASSWORD_MIN } from '../../users/password-rules';

export class RegisterDto {
  @ApiProperty({ example: 'rider@example.com', maxLength: 254 })
  @Transform(normalizedEmail)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct-horse-battery', minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @NewPassword()
  password!: string;
}
