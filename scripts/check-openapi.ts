/**
 * `npm run check:openapi`: validates docs/hall-api.openapi.yaml with @apidevtools/swagger-parser —
 * against the official OpenAPI 3.1 schema, every `$ref` resolved, and its own checks (path parameters
 * declared, operation ids unique). Exits 1 with the validator's message when the file is not valid.
 */
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ROOT } from './paths';

export const OPENAPI_FILE = path.join(ROOT, 'docs', 'hall-api.openapi.yaml');

export async function checkOpenApi(file: string): Promise<string> {
  const api = await SwaggerParser.validate(file);
  if (!('openapi' in api) || !api.openapi.startsWith('3.1.')) {
    throw new Error(`${path.relative(ROOT, file)} is not OpenAPI 3.1`);
  }
  return `${path.relative(ROOT, file)}: OpenAPI ${api.openapi}, ${Object.keys(api.paths ?? {}).length} paths, valid`;
}

if (require.main === module) {
  checkOpenApi(process.argv[2] ?? OPENAPI_FILE).then(
    (line) => console.log(line),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
