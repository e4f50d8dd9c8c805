import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentUser, Operation } from '../common/decorators';
import type { User } from '../users/user.entity';
import { NO_FTP, AthleteService } from './athlete.service';
import { AthleteResponseDto, toAthleteResponse } from './dto/athlete-response.dto';
import { AthleteZonesResponseDto, toAthleteZonesResponse } from './dto/athlete-zones-response.dto';
import { UpdateAthleteDto } from './dto/update-athlete.dto';
import { ErrorResponseDto } from '../common/error-response.dto';

@ApiTags('athlete')
@BearerAuth()
@Controller('athlete')
export class AthleteController {
  constructor(private readonly athlete: AthleteService) {}

  @Audit('athlete.get', { resource: 'athlete' })
  @Get()
  @Operation({
    id: 'getAthlete',
    summary: 'Your athlete profile',
    description: 'Your athlete profile and FTP history.',
  })
  @ApiOkResponse({ type: AthleteResponseDto })
  async get(@CurrentUser() user: User): Promise<AthleteResponseDto> {
    return toAthleteResponse(await this.athlete.settingsOf(user.id));
  }

  @Audit('athlete.update', { resource: 'athlete' })
  @Put()
  @Operation({
    id: 'updateAthlete',
    summary: 'Change your athlete profile',
    description: 'Only the fields sent change. A new FTP re-scores your activities from its date on.',
  })
  @ApiOkResponse({ type: AthleteResponseDto })
  async update(@CurrentUser() user: User, @Body() dto: UpdateAthleteDto): Promise<AthleteResponseDto> {
    return toAthleteResponse(await this.athlete.update(user, dto));
  }

  @Audit('athlete.zones', { resource: 'athlete' })
  @Get('zones')
  @Operation({
    id: 'getAthleteZones',
    summary: 'Your training zones',
    description: 'Power zones (Coggan, from the latest FTP) and heart-rate zones (from the threshold heart rate).',
  })
  @ApiOkResponse({ type: AthleteZonesResponseDto })
  @ApiNotFoundResponse({ description: NO_FTP, type: ErrorResponseDto })
  async zones(@CurrentUser() user: User): Promise<AthleteZonesResponseDto> {
    return toAthleteZonesResponse(await this.athlete.zonesOf(user));
  }
}
