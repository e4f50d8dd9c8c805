import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isCalendarDate, todayUtc } from '../common/calendar';

/** A `YYYY-MM-DD` calendar date strictly after today's date in UTC. */
export function IsFutureCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isFutureCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => isCalendarDate(value) && value > todayUtc(),
        defaultMessage: (args?: ValidationArguments) =>
          isCalendarDate(args?.value)
            ? `${args?.property} must be a date after today (${todayUtc()}, UTC)`
            : `${args?.property} must be a valid date in the form YYYY-MM-DD`,
      },
    });
  };
}

/** A number at least as large as the sibling property named `other` (checked when both are numbers). */
export function IsAtLeastProperty(other: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isAtLeastProperty',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [other],
      options,
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const otherValue = (args?.object as Record<string, unknown> | undefined)?.[other];
          return typeof value !== 'number' || typeof otherValue !== 'number' || value >= otherValue;
        },
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be greater than or equal to ${other}`,
      },
    });
  };
}
