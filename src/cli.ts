#!/usr/bin/env node
// The entry's name before it became CommonJS (dist/cli.cjs). Links made to the old name go on
// working: npx, run in a checkout, keeps a link to a package's bin in its own cache
// (~/.npm/_npx/…) and does not refresh it when package.json names another file, so after the rename
// `npx keyguard` there answered "keyguard: not found".
import './cli.cjs';
