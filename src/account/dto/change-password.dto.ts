import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { NewPassword, PASSWORD_MAX, PASSWORD_MIN } from '../../users/password-rules';

export class ChangePasswordDto {
  @ApiProperty({ example: 'correct-horse-battery' })
  @IsString()
  @MaxLength(1024)
  current_password!: string;

  @ApiProperty({
    example: 'battery-staple-horse-correct',
    minLength: PASSWORD_MIN,
    maxLength: PASSWORD_MAX,
    description: 'Same rules as at registration: 8-100 characters and at most 72 bytes in UTF-8',
  })
  @NewPassword()
  new_password!: string;
}
