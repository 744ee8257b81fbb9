/** Objects of the CRD kinds kept in crds/, validated offline against the schema written there. */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import * as yaml from 'js-yaml';

const CRDS = path.join(__dirname, '..', 'crds');

/**
 * A CRD's openAPIV3Schema as JSON Schema: an object schema with properties and no `additionalProperties` is closed,
 * since the API server prunes undeclared fields from such (structural) schemas and crds/ declares every field we
 * emit; `x-kubernetes-*` extensions are dropped (the validation rules among them are the API server's to run).
 */
function jsonSchema(schema: any): any {
  if (Array.isArray(schema)) return schema.map(jsonSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const result: any = Object.fromEntries(Object.entries(schema).filter(([k]) => !k.startsWith('x-kubernetes-')).map(([k, v]) =>
    [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, jsonSchema(s)])) : jsonSchema(v)]));
  if (schema.type === 'object' && schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    result.additionalProperties = false;
  }
  return result;
}

let validators: Map<string, ValidateFunction> | undefined;

/** One validator per `apiVersion Kind` of crds/. */
function crdValidators(): Map<string, ValidateFunction> {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    validators = new Map();
    for (const file of fs.readdirSync(CRDS).filter(f => /\.ya?ml$/.test(f))) {
      const crd = yaml.load(fs.readFileSync(path.join(CRDS, file), 'utf8')) as any;
      for (const version of crd.spec.versions) {
        validators.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, ajv.compile(jsonSchema(version.schema.openAPIV3Schema)));
      }
    }
  }
  return validators;
}

/**
 * What is wrong with an object of a crds/ kind by its CRD's schema, one line each (none: it is valid), or undefined
 * when the object is of no such kind.
 */
export function crdSchemaProblems(object: { apiVersion: string; kind: string; metadata: { name: string } }): string[] | undefined {
  const validate = crdValidators().get(`${object.apiVersion} ${object.kind}`);
  if (!validate) return undefined;
  const id = `${object.kind}/${object.metadata.name}`;
  if (validate(object)) return [];
  return (validate.errors ?? []).map(e => `${id}${e.instancePath}: ${e.message}`
    + (e.keyword === 'additionalProperties' ? ` (${(e.params as any).additionalProperty})` : ''));
}
