import { registerDecorator, type ValidationArguments } from 'class-validator';
import { isCalendarDate } from '../../common/calendar';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
/** A little clock skew between the client and the server is not "the future". */
const SKEW_MS = 5 * 60_000;

/** An ISO 8601 date-time with Z or an offset, that exists, from 1970 on and not in the future. */
export function IsPastTimestamp(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isPastTimestamp',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !TIMESTAMP.test(value)) {
            return false;
          }
          const ms = Date.parse(value);
          return Number.isFinite(ms) && isCalendarDate(value.slice(0, 10)) && ms >= 0 && ms <= Date.now() + SKEW_MS;
        },
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} must be an ISO 8601 date-time with Z or an offset (such as 2030-01-15T07:30:00Z), ` +
          'from 1970 on and not in the future',
      },
    });
  };
}
