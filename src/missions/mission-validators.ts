import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isCalendarDate } from './builder/calendar-date';
import { canonicalTimeZone, isIanaTimeZone } from './time-zones';

/** A `YYYY-MM-DD` date that exists in the calendar (`2025-02-30` is refused). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => isCalendarDate(value),
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be a valid date in the form YYYY-MM-DD`,
      },
    });
  };
}

/**
 * Stores a zone under the runtime's canonical name (`utc` -> `UTC`, `europe/paris` -> `Europe/Paris`):
 * runs while the body is turned into the DTO, before validation; a value that is not a zone is left
 * as sent for @IsIanaTimeZone to refuse.
 */
export function ToCanonicalTimeZone(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => canonicalTimeZone(value) ?? value);
}

/** An IANA time zone name such as `Europe/Paris` or `UTC` (any letter case; links such as `Asia/Calcutta` too). */
export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => isIanaTimeZone(value),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} must be an IANA time zone name such as UTC or Europe/Paris`,
      },
    });
  };
}
