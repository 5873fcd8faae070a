#!/usr/bin/env node
// The installed command. It runs the bundled program the build makes (one file to load instead of
// dozens: the pre-commit hook starts almost as fast as Node itself), or the modules tsc emitted
// when there is no bundle (a partial build).
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1 and later keep the compiled program between runs (in the system's temp folder): the hooks,
// run on every commit and every agent prompt, then start without compiling keyguard again.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const bundled = new URL('./bundle/run.js', import.meta.url);
await import(existsSync(bundled) ? bundled.href : './run.js');
