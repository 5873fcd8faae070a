// The version keyguard reports (--version, SARIF, the pre-commit framework pin): package.json's, the one
// source. Read once, synchronously, at load: a 2 kB file costs less than the import itself, and main's
// help text needs it before anything runs. A build-time constant would cover only the bundle, not the
// tsc output or the test runner, so it would need this read as a fallback anyway.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** src/ and dist/ sit one level under the package root, dist/bundle/ two. */
function readVersion(): string {
  for (const up of ['..', join('..', '..')]) {
    try {
      // a package.json without a version (a `{"type": "module"}` marker) is not the package's own
      const pkg = JSON.parse(readFileSync(join(HERE, up, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not there (dist/bundle/ is two levels down): try the next level
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
