import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DateParam } from '../common/date-param';
import { DateRangePageQueryDto } from '../common/date-range-query';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentUser, Operation } from '../common/decorators';
import type { User } from '../users/user.entity';
import { PutWellnessDto } from './dto/put-wellness.dto';
import { toWellnessDayResponse, WellnessDayResponseDto } from './dto/wellness-day-response.dto';
import { WELLNESS_DAY_NOT_FOUND, WellnessService } from './wellness.service';
import { ErrorResponseDto } from '../common/error-response.dto';

@ApiTags('wellness')
@BearerAuth()
@Controller('wellness')
export class WellnessController {
  constructor(private readonly wellness: WellnessService) {}

  @Audit('wellness.list', { resource: 'wellness' })
  @Get()
  @Operation({
    id: 'listWellnessDays',
    summary: 'Your wellness days',
    description: 'Oldest first; from and to are inclusive.',
  })
  @ApiOkResponse({ type: [WellnessDayResponseDto] })
  async list(@CurrentUser() user: User, @Query() query: DateRangePageQueryDto): Promise<WellnessDayResponseDto[]> {
    return (await this.wellness.list(user, query)).map(toWellnessDayResponse);
  }

  @Audit('wellness.put', { resource: 'wellness' })
  @Put(':date')
  @Operation({
    id: 'putWellnessDay',
    summary: 'Record a wellness day',
    description:
      'Creates the day or replaces it whole: a field not sent becomes null. Not after today in your time zone.',
  })
  @ApiOkResponse({ type: WellnessDayResponseDto })
  async put(
    @CurrentUser() user: User,
    @DateParam('date') date: string,
    @Body() dto: PutWellnessDto,
  ): Promise<WellnessDayResponseDto> {
    return toWellnessDayResponse(await this.wellness.put(user, date, dto));
  }

  @Audit('wellness.delete', { resource: 'wellness' })
  @Delete(':date')
  @Operation({
    id: 'deleteWellnessDay',
    summary: 'Delete a wellness day',
    description: 'Deletes the day; an unknown day is a 404.',
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: WELLNESS_DAY_NOT_FOUND, type: ErrorResponseDto })
  remove(@CurrentUser() user: User, @DateParam('date') date: string): Promise<void> {
    return this.wellness.remove(user, date);
  }
}
