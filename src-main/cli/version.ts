/** The package's version, for `aestudio --version`. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version in the package.json of this package: the nearest one above this
 * module that names the package. Looked up at run time, so the sources
 * (src-main/cli/) and the bundle (out/main/) find the same file.
 */
export function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'autoencoder-studio' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here (or not ours): keep looking above.
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
