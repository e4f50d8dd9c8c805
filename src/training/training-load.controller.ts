import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DateRangeQueryDto } from '../common/date-range-query';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentUser, Operation } from '../common/decorators';
import type { User } from '../users/user.entity';
import { LoadDayResponseDto, toLoadDayResponse } from './dto/load-day-response.dto';
import { TrainingLoadService } from './training-load.service';

@ApiTags('training')
@BearerAuth()
@Controller('training')
export class TrainingLoadController {
  constructor(private readonly trainingLoad: TrainingLoadService) {}

  @Audit('training.load', { resource: 'training_load' })
  @Get('load')
  @Operation({
    id: 'getTrainingLoad',
    summary: 'Training load per day',
    description:
      'CTL, ATL, TSB and ramp rate per day, oldest first. Default range: the 90 days ending today in your time zone; at most 3,660 days.',
  })
  @ApiOkResponse({ type: [LoadDayResponseDto] })
  async load(@CurrentUser() user: User, @Query() range: DateRangeQueryDto): Promise<LoadDayResponseDto[]> {
    return (await this.trainingLoad.forRange(user, range)).map(toLoadDayResponse);
  }
}
