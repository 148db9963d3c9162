#!/usr/bin/env node
/**
 * Records, in package-lock.json, the platform-specific optional packages that the registry mirror
 * of our machines does not carry (DuckDB's macOS, Windows and Linux-arm binaries).
 *
 * Why: `npm ci` refuses a lock file that lacks an optional dependency of a package in it, and npm
 * cannot record a package it cannot fetch metadata for. Each missing entry is written with its
 * version and its `os` / `cpu` / `libc` gates, so `npm ci` skips it on Linux x64 without fetching
 * anything, and installs it from the public registry on a platform that needs it.
 *
 * Run after `npm install` changes the lock: `node scripts/lock-platform-packages.mjs`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const GATES = {
  'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  'linux-arm64': { os: ['linux'], cpu: ['arm64'], libc: ['glibc'] },
  'linux-arm64-musl': { os: ['linux'], cpu: ['arm64'], libc: ['musl'] },
  'linux-x64': { os: ['linux'], cpu: ['x64'], libc: ['glibc'] },
  'linux-x64-musl': { os: ['linux'], cpu: ['x64'], libc: ['musl'] },
  'win32-arm64': { os: ['win32'], cpu: ['arm64'] },
  'win32-x64': { os: ['win32'], cpu: ['x64'] },
};

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = {};
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  packages[path] = entry;
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${dep}`;
    if (lock.packages[target] !== undefined || packages[target] !== undefined) continue;
    const platform = Object.keys(GATES).find((p) => dep.endsWith(`-${p}`));
    if (platform === undefined) continue;
    packages[target] = { version, ...GATES[platform], license: entry.license, optional: true };
    added++;
  }
}
lock.packages = packages;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-platform-packages: ${added} entr${added === 1 ? 'y' : 'ies'} added`);
