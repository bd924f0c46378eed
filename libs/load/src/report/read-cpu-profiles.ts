import fs from 'node:fs';
import path from 'node:path';

import { type CpuProfile, type HotFunction, hotFunctions, type ProfileWindow } from './cpu-profile-summary';

/** Removes the profiles a previous run left, so the next read finds this run's only. */
export function clearCpuProfiles(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(dir)) if (file.endsWith('.cpuprofile')) fs.rmSync(path.join(dir, file));
}

/** The hot functions of the newest `.cpuprofile` in `dir` (what `node --cpu-prof` wrote at exit), if any. */
export function hotFunctionsIn(
  dir: string,
  top = 10,
  window?: ProfileWindow,
): { file: string; functions: HotFunction[] } | undefined {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  } catch {
    return undefined;
  }
  const newest = files
    .map((file) => path.join(dir, file))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  if (!newest) return undefined;
  const profile = JSON.parse(fs.readFileSync(newest, 'utf8')) as CpuProfile;
  return { file: newest, functions: hotFunctions(profile, top, window) };
}
