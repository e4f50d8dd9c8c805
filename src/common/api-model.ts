import type { Type } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

/** The JSON Schema keywords this reads: an object schema with a `title`, and its properties. */
export interface ObjectSchema {
  title?: string;
  type?: unknown;
  description?: string;
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
}

/**
 * The OpenAPI model of an object schema, named after its `title`, nested objects becoming models of
 * their own. Hand-written because @nestjs/swagger names component schemas after classes only: this
 * turns a schema declared once (as JSON Schema) into the class it documents.
 */
export function apiModel(schema: ObjectSchema): Type<unknown> {
  const model = class {};
  Object.defineProperty(model, 'name', { value: schema.title });
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    ApiProperty(propertyOptions(property, schema.required?.includes(key) ?? false))(model.prototype, key);
  }
  return model;
}

function propertyOptions(property: Record<string, unknown>, required: boolean): ApiPropertyOptions {
  if (property.type === 'object') {
    const { description } = property as ObjectSchema;
    return { type: apiModel(property), required, ...(description ? { description } : {}) };
  }
  // OpenAPI 3.0 spells JSON Schema's numeric exclusiveMinimum as a boolean beside minimum.
  const { exclusiveMinimum, title: _title, ...rest } = property;
  const exclusive = typeof exclusiveMinimum === 'number' ? { minimum: exclusiveMinimum, exclusiveMinimum: true } : {};
  return { ...rest, ...exclusive, required };
}
