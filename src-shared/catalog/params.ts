/**
 * Typed parameter schemas for node kinds. The inspector renders fields from
 * them, the project loader checks types with them, the compiler checks ranges
 * with them: one description, many readers.
 */
import type { ParamValue } from '../graph/types';

interface ParamBase {
  /** Label shown in the inspector. */
  label: string;
  /** One line of help shown under the field. */
  help: string;
  /**
   * Show (and check) the parameter only when another parameter has one of the
   * given values, e.g. conv-only fields when `layer` is "conv".
   */
  visibleWhen?: { param: string; oneOf: readonly ParamValue[] };
}

/** A whole number within [min, max]. */
export interface IntParam extends ParamBase {
  type: 'int';
  default: number;
  min: number;
  max: number;
}

/** A real number within [min, max]. */
export interface FloatParam extends ParamBase {
  type: 'float';
  default: number;
  min: number;
  max: number;
}

/** One of a fixed set of strings. */
export interface EnumParam extends ParamBase {
  type: 'enum';
  default: string;
  options: readonly string[];
}

/** On or off. */
export interface BoolParam extends ParamBase {
  type: 'bool';
  default: boolean;
}

/** Any parameter schema. */
export type ParamSchema = IntParam | FloatParam | EnumParam | BoolParam;

/** Parameter schemas of one node kind, by parameter name. */
export type ParamSchemaMap = Readonly<Record<string, ParamSchema>>;

/**
 * The schema of parameter `name`, or undefined when the kind has no such parameter.
 * Names come from files: only the map's own entries count, so `constructor`,
 * `toString` or `__proto__` never find a member of Object.prototype.
 */
export function paramSchema(schemas: ParamSchemaMap, name: string): ParamSchema | undefined {
  return Object.hasOwn(schemas, name) ? schemas[name] : undefined;
}

/** The TypeScript value type a schema map describes. */
export type ParamValues<S extends ParamSchemaMap> = string extends keyof S
  ? Record<string, ParamValue> // the registry's erased view
  : { [K in keyof S]: S[K] extends EnumParam ? string : S[K] extends BoolParam ? boolean : number };

/**
 * The activations every layer kind offers, with names as TensorFlow.js spells
 * them (leakyRelu takes its negative slope α from the layer's `alpha`).
 */
export const ACTIVATIONS = ['linear', 'relu', 'leakyRelu', 'elu', 'selu', 'gelu', 'tanh', 'sigmoid', 'softplus', 'swish'] as const;
/** One of {@link ACTIVATIONS}. */
export type Activation = (typeof ACTIVATIONS)[number];

/** Whether a parameter is in effect given the node's other values. */
export function isParamVisible(schema: ParamSchema, values: Record<string, ParamValue>): boolean {
  if (!schema.visibleWhen) return true;
  return schema.visibleWhen.oneOf.includes(values[schema.visibleWhen.param]);
}

/**
 * Why `value` is not acceptable for `schema`, or null when it is. The reason
 * names the allowed range so the person knows what to type instead.
 */
export function checkParamValue(schema: ParamSchema, value: unknown): string | null {
  switch (schema.type) {
    case 'int':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number from ${schema.min} to ${schema.max}`;
      if (schema.type === 'int' && !Number.isInteger(value)) return `must be a whole number from ${schema.min} to ${schema.max}`;
      if (value < schema.min || value > schema.max) return `${value} is out of range (${schema.min} to ${schema.max})`;
      return null;
    }
    case 'enum':
      if (typeof value !== 'string' || !schema.options.includes(value)) return `must be one of ${schema.options.join(', ')}`;
      return null;
    case 'bool':
      return typeof value === 'boolean' ? null : 'must be true or false';
  }
}

/** Only the type of a value (not its range): what a file loader checks before the compiler checks ranges. */
export function checkParamType(schema: ParamSchema, value: unknown): string | null {
  switch (schema.type) {
    case 'int':
    case 'float':
      return typeof value === 'number' ? null : 'expected a number';
    case 'enum':
      return typeof value === 'string' ? null : `expected one of ${schema.options.join(', ')}`;
    case 'bool':
      return typeof value === 'boolean' ? null : 'expected true or false';
  }
}

/** The default values of every parameter of a schema map. */
export function defaultParams(schemas: ParamSchemaMap): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, s] of Object.entries(schemas)) out[name] = s.default;
  return out;
}
