import { z } from 'zod';
import { operations } from './contract';

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 is OpenAPI 3.1's schema dialect, so zod's output is used as is. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** The OpenAPI 3.1 document of the HTTP API, generated from the zod schemas the handlers use (api/contract.ts). */
export function openApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (op.query) {
      for (const [name, field] of Object.entries(op.query.shape)) {
        params.push({ name, in: 'query', required: false, schema: schemaOf(field as z.ZodType, 'input') as { type: string } });
      }
    }
    const responses = Object.fromEntries(
      Object.entries(op.responses).map(([status, schema]) => [
        status,
        { description: Number(status) < 400 ? 'success' : 'error', content: { 'application/json': { schema: schemaOf(schema, 'output') } } },
      ]),
    );
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      ...(op.auth ? { security: [{ bearer: [] }] } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'ml-connector API', version: '1', description: 'Connections between PeopleSoft and SaaS tools, each run by one Temporal workflow.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key from `npm run api-key -- create`' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
