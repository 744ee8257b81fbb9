import { isPlainObject, Values } from '../core/values';

/**
 * The settings of `values` that a chart's values.schema.json does not accept because it does not know them: a key
 * under an object the schema closes (`additionalProperties: false`) that is neither among its `properties` nor
 * matches its `patternProperties`, as dotted paths. What else the schema checks (types, enums), helm's render does.
 */
export function unknownSettings(schemaText: string, values: Values): string[] {
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    return []; // helm reports a broken schema itself, better than a guess here
  }
  return unknownUnder(schema, values, '');
}

function unknownUnder(schema: unknown, values: Values, prefix: string): string[] {
  if (!isPlainObject(schema)) return [];
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const patterns = isPlainObject(schema.patternProperties) ? Object.keys(schema.patternProperties).map(p => new RegExp(p, 'u')) : [];
  return Object.entries(values).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (Object.hasOwn(properties, key)) return isPlainObject(value) ? unknownUnder(properties[key], value, path) : [];
    const known = patterns.some(pattern => pattern.test(key)) || schema.additionalProperties !== false;
    return known ? [] : [path];
  });
}
