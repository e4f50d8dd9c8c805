import { BadGatewayException, NotFoundException } from '@nestjs/common';
import { apiError, ERROR_CODES, ERRORS, genericCode } from './error-codes';

describe('error codes', () => {
  it('makes a Nest exception of the registry status that carries its code and detail', () => {
    const error = apiError('mission_not_found');
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error.getStatus()).toBe(404);
    expect(error.getResponse()).toEqual({ detail: 'Mission not found', code: 'mission_not_found' });
    expect(error.message).toBe('Mission not found');
    const own = apiError('llm_failed', 'LLM service unavailable');
    expect(own).toBeInstanceOf(BadGatewayException);
    expect(own.getResponse()).toEqual({ detail: 'LLM service unavailable', code: 'llm_failed' });
  });

  it('has a generic code for every error status, and unique snake_case codes', () => {
    expect([400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 502, 503].map(genericCode)).toEqual([
      'bad_request',
      'unauthorized',
      'forbidden',
      'not_found',
      'conflict',
      'payload_too_large',
      'unsupported_media_type',
      'validation_failed',
      'rate_limited',
      'internal_error',
      'bad_gateway',
      'service_unavailable',
    ]);
    expect(genericCode(418)).toBe('bad_request');
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(ERRORS[code].status).toBeGreaterThanOrEqual(400);
    }
  });
});
