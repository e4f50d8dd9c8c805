import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DateParam } from '../common/date-param';
import { DateRangePageQueryDto } from '../common/date-range-query';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentUser } from '../common/decorators';
import type { User } from '../users/user.entity';
import { PutWellnessDto } from './dto/put-wellness.dto';
import { toWellnessDayResponse, WellnessDayResponseDto } from './dto/wellness-day-response.dto';
import { WELLNESS_DAY_NOT_FOUND, WellnessService } from './wellness.service';

@ApiTags('wellness')
@BearerAuth()
@Controller('wellness')
export class WellnessController {
  constructor(private readonly wellness: WellnessService) {}

  @Audit('wellness.list', { resource: 'wellness' })
  @Get()
  @ApiOperation({ summary: 'Your wellness days, oldest first (from/to inclusive)' })
  @ApiOkResponse({ type: [WellnessDayResponseDto] })
  async list(@CurrentUser() user: User, @Query() query: DateRangePageQueryDto): Promise<WellnessDayResponseDto[]> {
    return (await this.wellness.list(user, query)).map(toWellnessDayResponse);
  }

  @Audit('wellness.put', { resource: 'wellness' })
  @Put(':date')
  @ApiOperation({
    summary: 'Record a day (creates it or replaces it whole; a field not sent becomes null; not after today)',
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
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a day' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: WELLNESS_DAY_NOT_FOUND })
  remove(@CurrentUser() user: User, @DateParam('date') date: string): Promise<void> {
    return this.wellness.remove(user, date);
  }
}
