import { readdirSync, readlinkSync, realpathSync } from 'node:fs';

/** PIDs of the processes that have `devicePath` open, from /proc/PID/fd (those we may read). */
export function findPortUsers(devicePath: string): number[] {
  const target = resolve(devicePath);
  const pids: number[] = [];
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fdDir = `/proc/${entry}/fd`;
    if (safeReaddir(fdDir).some((fd) => safeReadlink(`${fdDir}/${fd}`) === target)) pids.push(Number(entry));
  }
  return pids;
}

function resolve(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
